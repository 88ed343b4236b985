#!/usr/bin/env bash
# Times `netwarden conns` against ss, netstat and lsof on the same socket populations, in one run.
#
#   sudo bench/conns-vs-ss.sh                       # the issue's grid (~6 min on 2 cores)
#   sudo bench/conns-vs-ss.sh --grid "1000x500" --runs 5
#
# Populations come from ../shared/bench/mksockets (N connections = 2N ESTAB sockets over P holder
# processes, F extra file fds each), built inside a namespace it creates (nwb-sock-*) and deletes;
# every tool runs inside that namespace, so no traffic or rule touches the root namespace.
# Afterwards it measures peak RSS of `conns -tanp` at 50k connections with GNU time.
# Results: ../shared/bench's snapshot-*.md (path printed at the end) plus the RSS lines on stdout.
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
shared="${NW_SHARED_BENCH:-$home/../shared/bench}"
nw="$home/bin/netwarden"
[ "$(id -u)" = 0 ] || { echo "run as root (it creates network namespaces)" >&2; exit 2; }
for t in hyperfine /usr/bin/time netstat lsof gcc; do
  command -v "$t" >/dev/null || { echo "installing bench tools" >&2; apt-get update -q >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine time net-tools lsof gcc >&2; break; }
done

grid="1000x1 1000x50 1000x500 10000x1 10000x50 10000x500 1000x500x1000 50000x1 50000x500"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --grid) grid="$2"; shift 2;;
    *) args+=("$1"); shift;;
  esac
done

# Build the jar and the AOT cache before anything is timed.
"$nw" conns -P >/dev/null

"$shared/snapshot.sh" --grid "$grid" --budget-seconds 900 \
  --tools "ss -tanp|ss -tan|netstat -tanp|lsof -nP -iTCP|$nw conns -tanp|$nw conns -tan -P" "${args[@]}"

# Peak RSS at 50k connections (100k sockets).
pop="nwrss$$"
trap '"$shared/mksockets" stop --name "$pop" >/dev/null 2>&1 || true' EXIT
"$shared/mksockets" start --name "$pop" -n 50000 -p 6 --max-seconds 300 > /tmp/$pop.txt
ns="$(awk -F= '/^namespace=/{print $2}' /tmp/$pop.txt)"
for cmd in "$nw conns -tanp" "ss -tanp"; do
  /usr/bin/time -f "peak RSS %M KB, %e s wall: $cmd" ip netns exec "$ns" $cmd > /dev/null 2> /tmp/$pop.time || true
  tail -1 /tmp/$pop.time
done
