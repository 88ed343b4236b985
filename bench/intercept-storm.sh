#!/usr/bin/env bash
# Loopback TCP connection storm inside a fresh network namespace: no rules vs netwarden's
# intercept rules + accept-all InterceptLoop (queue 0, fail closed). Root only; touches nothing
# outside the namespaces it creates (TestNamespace). Needs nwb-storm from ../shared/bench
# (built into $NWB_WORK/bin by its build.sh) and iptables.
# Usage: bench/intercept-storm.sh [K=5000] [C=32]
set -euo pipefail
cd "$(dirname "$0")/.."
K=${1:-5000}; C=${2:-32}
STORM=${NWB_STORM:-${NWB_WORK:-/tmp/nwb-bench}/bin/nwb-storm}
[ -x "$STORM" ] || { echo "nwb-storm not found at $STORM (build ../shared/bench with NWB_WORK set)" >&2; exit 1; }
source bench/lib/test-classpath.sh
exec java --enable-native-access=ALL-UNNAMED -cp "$TEST_CP" dev.netwarden.intercept.InterceptBench "$STORM" "$K" "$C"
