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

# Run stage: a slim JRE and the jar. Production: give it TICKETRUSH_REDIS_URL, TICKETRUSH_PG_URL, a token
# verification key (TICKETRUSH_JWT_SECRET, TICKETRUSH_JWT_PUBLIC_KEY or TICKETRUSH_JWKS_URL) and
# TICKETRUSH_PAYMENT_GATEWAY, or it refuses to start. Without both URLs it refuses too: this jar has no embedded
# Redis or PostgreSQL, and the image sets TICKETRUSH_ALLOW_DEV_MODE=false (dev mode's dev tokens mint admin
# tokens); for dev mode run the full jar (java -jar target/ticket-rush.jar, see README).
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app ticketrush
WORKDIR /app
COPY --from=build /src/target/ticket-rush-service.jar /app/ticket-rush.jar
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
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/ticket-rush.jar"]
