#!/usr/bin/env bash
# CPU profile of a running node with async-profiler 4.1 (from Maven Central), for the runs in docs/performance.md.
#   scripts/bench/profile/profile.sh start PID          start sampling (itimer, 1 ms)
#   scripts/bench/profile/profile.sh stop PID OUT       stop; OUT gets collapsed stacks
#   python3 scripts/bench/profile/breakdown.py OUT      CPU by component and the top frames
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/target/linux-x64/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1:jar:linux-x64 >/dev/null
  mkdir -p "$here/target" && (cd "$here/target" && unzip -o -q ~/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1-linux-x64.jar)
fi
case "$1" in
  start) java "$here/Attach.java" "$2" "$lib" "start,event=itimer,interval=1ms" ;;
  stop) java "$here/Attach.java" "$2" "$lib" "stop,file=$3,collapsed" ;;
  *) echo "usage: profile.sh start PID | stop PID OUT" >&2; exit 2 ;;
esac
