#!/usr/bin/env bash
# One-process socket scan: BPF task_file iterator (TaskSocketIterator.scanPid) vs readlink of every
# /proc/PID/fd entry, on a child process holding N sockets. Root (loads a BPF tracing program).
# Usage: bench/scan-pid-bench.sh [SOCKETS=40] [SCANS=20000]   (about 10 s)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "scan-pid-bench: needs root (BPF)" >&2; exit 2; }
source "$(dirname "$0")/lib/test-classpath.sh"
java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp "$TEST_CP" \
  dev.netwarden.linux.bpf.ScanPidBench "${1:-40}" "${2:-20000}"
