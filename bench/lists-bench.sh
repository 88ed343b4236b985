#!/usr/bin/env bash
# Block-list load time, retained heap and lookup cost for a generated list of N domains (default 1M).
# Usage: bench/lists-bench.sh [N]      (from the repository root; about 30 s; writes nothing but a temp file)
set -euo pipefail
source "$(dirname "$0")/lib/test-classpath.sh"
# 512 MB max heap so the heap measurement is not distorted by a tiny heap; -XX:+UseSerialGC for exact used-after-GC figures.
exec java -Xmx512m -XX:+UseSerialGC -cp "$TEST_CP" dev.netwarden.lists.ListsBench "${1:-1000000}"
