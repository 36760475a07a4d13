# Base images are referenced by tag: pin them by digest for reproducible, tamper-evident builds
# (FROM image:tag@sha256:<digest>; get it with `docker buildx imagetools inspect image:tag`) once it can be
# looked up from the build environment. A digest must never be guessed.
# Build stage: Maven with JDK 17 builds the jars (tests run in CI, not in the image build). The image takes the
# service jar: no embedded Redis/PostgreSQL binaries (the dev jar, target/ticket-rush.jar, has them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

# Training stage: an ahead-of-time cache (JDK 25, JEP 483/515) for a fresh node's first seconds, trained by
# scripts/aot-train.sh (the same script a VM deploy runs). A cache only works with the JVM that wrote it and the
# identical class path (the jar's path, size and timestamp), so this stage is the run stage's base image with the
# run stage's jar at its path; the run stage copies both files from here. The training node runs in production
# mode against a throwaway Redis and PostgreSQL from Ubuntu's packages, left behind with this stage.
FROM eclipse-temurin:25-jre AS aot
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server postgresql openssl curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/ticket-rush-service.jar /app/ticket-rush.jar
COPY conf /app/conf
COPY scripts/aot-train.sh /usr/local/bin/aot-train.sh
RUN redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
 && pg_ctlcluster "$(ls /etc/postgresql)" main start \
 && su postgres -c "psql -q -c \"CREATE ROLE train LOGIN PASSWORD 'train'\" -c 'CREATE DATABASE train OWNER train'" \
 && JAVA_OPTS="-XX:+UseG1GC" TRAIN_REDIS_URL=redis://127.0.0.1:6379 \
    TRAIN_PG_URL=postgresql://train:train@127.0.0.1:5432/train \
    aot-train.sh /app/ticket-rush.jar /app/ticket-rush.aot

# Run stage: a slim JRE (the training stage's), the jar and its AOT cache. Production: give it TICKETRUSH_REDIS_URL, TICKETRUSH_PG_URL, a token
# verification key (TICKETRUSH_JWT_SECRET, TICKETRUSH_JWT_PUBLIC_KEY or TICKETRUSH_JWKS_URL) and
# TICKETRUSH_PAYMENT_GATEWAY and TICKETRUSH_TICKET_SIGNING_KEY (PEM), or it refuses to start. Without both URLs it refuses too: this jar has no embedded
# Redis or PostgreSQL, and the image sets TICKETRUSH_ALLOW_DEV_MODE=false (dev mode's dev tokens mint admin
# tokens); for dev mode run the full jar (java -jar target/ticket-rush.jar, see README).
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --home /app ticketrush
WORKDIR /app
COPY --from=aot /app/ticket-rush.jar /app/ticket-rush.aot /app/
# The build fails here, rather than every node starting slow, if this JVM would refuse the cache.
RUN java -XX:AOTCache=/app/ticket-rush.aot -XX:AOTMode=on -cp /app/ticket-rush.jar -version
COPY conf /app/conf
RUN mkdir -p /app/data && chown -R ticketrush /app
USER ticketrush
ENV TICKETRUSH_LOG_FORMAT=json \
    TICKETRUSH_ALLOW_DEV_MODE=false \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC"
# Probes: GET /health/live and /health/ready. The image (eclipse-temurin, Ubuntu) ships curl; the shell form
# expands the configured port. Generous start period: the JVM, migrations and, in dev mode, embedded servers.
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${TICKETRUSH_HTTP_PORT:-8080}/health/ready" || exit 1
# A cache that is missing or stale (another jar or JVM) is refused with [error][aot] lines and the node runs
# without it; JAVA_OPTS may be overridden without losing the cache.
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/app/ticket-rush.aot $JAVA_OPTS -jar /app/ticket-rush.jar"]
