#!/usr/bin/env bash
# The request validator's worst case per OpenAPI schema (p99 and max of one validation, in µs), from
# dev.ticketrush.web.ValidatorWorstCase (src/test/java): hostile values that fit the body and request-line limits.
#   scripts/bench/validator-worst-case.sh [after|before] [budgetSeconds] [schema name part]
# "before" measures the validation path as it was before issue 26 (vertx-json-schema on the full schema), for a
# side-by-side; each hostile value gets at most budgetSeconds of samples (default 20).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" dev.ticketrush.web.ValidatorWorstCase "$@"
