#!/usr/bin/env bash
# History cost at every daemon start on a large database: closing what a killed daemon left open, with
# schema 2 (no index) and with the current schema (partial index on open connections); cold and warm.
# Usage: bench/history-start.sh [DIR] [ROWS] [OPEN]   (defaults: /tmp/nw-history-start 5000000 1000)
# Needs ~1 GB free in DIR for 5M rows; deletes DIR at the end. About 1-2 minutes on a 2-core machine.
set -euo pipefail
dir=${1:-/tmp/nw-history-start}
source "$(dirname "$0")/lib/test-classpath.sh"
trap 'rm -rf "$dir"' EXIT
java --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$TEST_CP" \
  dev.netwarden.history.HistoryStartBench "$dir" "${2:-5000000}" "${3:-1000}"
