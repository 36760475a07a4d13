# Build stage: Maven with JDK 17 builds the fat jar (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

# Run stage: a slim JRE and the jar. Give it TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL in production;
# without them it starts embedded Redis and PostgreSQL (demo mode, data in /app/data).
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app ticketrush
WORKDIR /app
COPY --from=build /src/target/ticket-rush.jar /app/ticket-rush.jar
COPY conf /app/conf
RUN mkdir -p /app/data && chown -R ticketrush /app
USER ticketrush
ENV TICKETRUSH_LOG_FORMAT=json \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC"
# Probes: GET /health/live and /health/ready.
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/ticket-rush.jar"]
