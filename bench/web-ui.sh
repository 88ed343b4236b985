#!/usr/bin/env bash
# Web UI benchmark (issue 5): 10,000 live connections and a history of 1M rows; page loads, the live
# table at 1 Hz (updates, long tasks, frame gaps in chromium), the daemon's CPU with and without an
# open UI. Everything runs inside a namespace made by ../shared/bench/mksockets (nwb-sock-webui),
# deleted at the end; nothing touches the root namespace.
#
#   sudo bench/web-ui.sh [CONNECTIONS] [ROWS] [SECONDS]     # defaults: 10000 1000000 15
#
# CONNECTIONS live sockets = CONNECTIONS/2 loopback TCP connections (both ends are sockets the daemon
# lists). SECONDS is the length of each CPU window (without, then with the browser). About a minute and
# a half in all on 2 cores. Needs chromium and chromium-driver (bin/test installs them) and
# ../shared/bench built (NWB_WORK, default /tmp/nwb-bench; its build.sh).
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
shared="${NW_SHARED_BENCH:-$home/../shared/bench}"
[ -x "$shared/mksockets" ] || shared=/work/shared/bench
[ "$(id -u)" = 0 ] || { echo "run as root (it creates a network namespace)" >&2; exit 2; }
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { echo "needs chromium and chromium-driver" >&2; exit 2; }
export NWB_WORK=${NWB_WORK:-/tmp/nwb-bench}
[ -x "$NWB_WORK/bin/nwb-sockhold" ] || "$shared/build.sh"
conns=${1:-10000} rows=${2:-1000000} seconds=${3:-15}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
cd "$home"
"$home/bin/netwarden" --version >/dev/null   # builds the jar if the sources changed
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/web-ui-bench.cp >/dev/null

work="$(mktemp -d /tmp/nw-webui-bench.XXXXXX)"
pop=webui
cleanup() {
  "$shared/mksockets" stop --name "$pop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$shared/mksockets" start --name "$pop" -n $((conns / 2)) -p 10 --udp 0 --listen 0 --max-seconds 600 > "$work/pop.txt"
ns="$(awk -F= '/^namespace=/{print $2}' "$work/pop.txt")"
echo "namespace $ns: $(grep -v '^namespace=' "$work/pop.txt" | tr '\n' ' ')"
ip netns exec "$ns" java --enable-native-access=ALL-UNNAMED -Dnetwarden.home="$home" \
  -cp "target/test-classes:target/classes:$(cat target/web-ui-bench.cp)" \
  dev.netwarden.web.WebUiBench "$work/data" "$rows" "$seconds" "$(getconf CLK_TCK)" "$conns"
