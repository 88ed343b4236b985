#!/usr/bin/env bash
# History benchmark: ingest rate through the writer, and "top apps" over 10M connection rows.
# Usage: bench/history-bench.sh [DIR] [INGEST_CONNECTIONS] [ROWS]   (defaults: /tmp/nw-history-bench 500000 10000000)
# Needs ~2.5 GB free in DIR; deletes DIR at the end. About 2-3 minutes on a 2-core machine.
set -euo pipefail
dir=${1:-/tmp/nw-history-bench}
source "$(dirname "$0")/lib/test-classpath.sh"
trap 'rm -rf "$dir"' EXIT
java --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$TEST_CP" \
  dev.netwarden.history.HistoryBench "$dir" "${2:-500000}" "${3:-10000000}"
