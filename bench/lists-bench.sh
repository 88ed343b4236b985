#!/usr/bin/env bash
# Block-list load time, retained heap and lookup cost for a generated list of N domains (default 1M).
# Usage: bench/lists-bench.sh [N]      (from the repository root; about 30 s; writes nothing but a temp file)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -q -o test-compile
cp=target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
# 512 MB max heap so the heap measurement is not distorted by a tiny heap; -XX:+UseSerialGC for exact used-after-GC figures.
exec java -Xmx512m -XX:+UseSerialGC -cp "$cp" dev.netwarden.lists.ListsBench "${1:-1000000}"
