#!/usr/bin/env bash
# History benchmark: ingest rate through the writer, and "top apps" over 10M connection rows.
# Usage: bench/history-bench.sh [DIR] [INGEST_CONNECTIONS] [ROWS]   (defaults: /tmp/nw-history-bench 500000 10000000)
# Needs ~2.5 GB free in DIR; deletes DIR at the end. About 2-3 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
dir=${1:-/tmp/nw-history-bench}
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/history-bench.cp >/dev/null
trap 'rm -rf "$dir"' EXIT
java --enable-native-access=ALL-UNNAMED -Xmx2g -cp "target/test-classes:target/classes:$(cat target/history-bench.cp)" \
  dev.netwarden.history.HistoryBench "$dir" "${2:-500000}" "${3:-10000000}"
