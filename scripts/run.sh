#!/usr/bin/env bash
# Starts Ticket Rush. Without TICKETRUSH_REDIS_URL / TICKETRUSH_PG_URL it starts embedded Redis and
# PostgreSQL (data under ./data), seeds the 10,000-seat demo event and enables dev tokens.
# Builds the fat jar first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/ticket-rush.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
