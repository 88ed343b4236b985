#!/usr/bin/env bash
# netwarden top with 10,000 live connections: the CPU of top refreshing once a second, standalone (its own
# scan) and with a daemon in the namespace, against nethogs on the same namespace and traffic; and what one
# call of the daemon's flows op costs at 10,000 flows.
#
# Usage (as root, from anywhere): bench/top.sh
#   env: TOP_BENCH_CONNS (10000 connections = 20,000 ESTAB sockets), TOP_BENCH_WARMUP (8 s),
#        TOP_BENCH_SECONDS (30 s measured per subject), NWB_WORK (mksockets' work dir, default /tmp/nwb-bench)
# About 3 minutes. Needs ../shared/bench built (nwb-sockhold), tmux, python3; nethogs when installed.
#
# Everything runs in the namespace mksockets creates (nwb-sock-NAME): the connections, a 1 MB/s loopback
# sender (bounded by an alarm), top in a tmux session of 120x40, the daemon, nethogs. CPU is the utime+stime
# delta of the measured process from /proc/PID/stat over the window, as a % of one core. Nothing is changed
# outside the namespace; every process started here is stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$PWD
shared=$home/../shared/bench
conns=${TOP_BENCH_CONNS:-10000}
warm=${TOP_BENCH_WARMUP:-8}
secs=${TOP_BENCH_SECONDS:-30}
name=nwtop$$
ns=nwb-sock-$name
work=$(mktemp -d /tmp/nw-top-bench.XXXXXX)
tmux_server=nwtopbench$$
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
hz=$(getconf CLK_TCK)
started=()

cleanup() {
  tmux -L "$tmux_server" kill-server 2>/dev/null || true
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  "$shared/mksockets" stop --name "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

ticks() { # utime+stime of PID in clock ticks
  local s; s=$(cat "/proc/$1/stat"); s=${s##*) }
  set -- $s
  echo $(( ${12} + ${13} ))
}

cpu() { # PID SECONDS -> "% of one core" over the window
  local a b; a=$(ticks "$1"); sleep "$2"; b=$(ticks "$1")
  awk -v d=$((b - a)) -v hz="$hz" -v s="$2" 'BEGIN { printf "%.2f", d / hz / s * 100 }'
}

java_below() { # the java process at or below PID (tmux runs the command under a shell)
  local p=$1 i c
  for i in 1 2 3 4 5 6; do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && { echo "$p"; return; }
    c=$(ps -o pid= --ppid "$p" | head -1 | tr -d ' ')
    [ -n "$c" ] || { sleep 0.5; continue; }
    p=$c
  done
  echo "no java process below $1" >&2; return 1
}

top_in_tmux() { # ARGS... -> pid of top's JVM
  tmux -L "$tmux_server" new-session -d -s top -x 120 -y 40 \
    "ip netns exec $ns env NETWARDEN_NO_BUILD=1 TERM=xterm-256color $home/bin/netwarden top $*"
  java_below "$(tmux -L "$tmux_server" display -p -t top '#{pane_pid}')"
}

echo "bench/top.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git log -1 --format='%h %s' | cut -c1-60)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
mvn -q -o package -DskipTests
NETWARDEN_NO_BUILD=1 bin/netwarden --version >/dev/null # trains the AOT cache now, not under the measured top
"$shared/mksockets" start --name "$name" -n "$conns" -p 1 --max-seconds 900 | tr '\n' ' '; echo
sockets=$(ip netns exec "$ns" ss -tanH | wc -l)
echo "sockets in $ns: $sockets"

# Traffic: 1 MB/s over loopback from a sender to a sink, both bounded in time.
cat >"$work/sink.py" <<'EOF'
import signal, socket
signal.alarm(600)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 9911)); s.listen(1)
c, _ = s.accept()
while c.recv(65536):
    pass
EOF
cat >"$work/sender.py" <<'EOF'
import signal, socket, time
signal.alarm(600)
time.sleep(0.5)
c = socket.create_connection(("127.0.0.1", 9911))
chunk = b"x" * 4096
start = time.monotonic()
for i in range(250 * 600):
    c.sendall(chunk)
    time.sleep(max(0, start + (i + 1) / 250 - time.monotonic()))
EOF
ip netns exec "$ns" python3 "$work/sink.py" & started+=($!)
ip netns exec "$ns" python3 "$work/sender.py" & started+=($!)

results=()

# 1. top standalone (own scan).
pid=$(top_in_tmux --daemon-socket "$work/absent.sock")
sleep "$warm"
kill -0 "$pid" || { echo "top exited"; exit 1; }
grep -q . <(tmux -L "$tmux_server" capture-pane -p -t top | grep "own scan") || { echo "top is not on its own scan"; exit 1; }
results+=("top, own scan (no daemon)|$(cpu "$pid" "$secs")")
tmux -L "$tmux_server" kill-server

# 2. top with a daemon in the namespace.
ip netns exec "$ns" env NETWARDEN_NO_BUILD=1 "$home/bin/netwarden" daemon --data-dir "$work/data" >"$work/daemon.log" 2>&1 &
daemon=$!; started+=($daemon)
for _ in $(seq 120); do
  ip netns exec "$ns" env NETWARDEN_NO_BUILD=1 "$home/bin/netwarden" top --json --count 1 --data-dir "$work/data" 2>/dev/null \
    | grep -q '"source":"daemon"' && break
  sleep 1
done
daemon_alone=$(cpu "$daemon" 15)
pid=$(top_in_tmux --data-dir "$work/data")
sleep "$warm"
tmux -L "$tmux_server" capture-pane -p -t top | grep -q "source: daemon" || { echo "top is not reading the daemon"; exit 1; }
da=$(ticks "$daemon"); ta=$(ticks "$pid"); sleep "$secs"; db=$(ticks "$daemon"); tb=$(ticks "$pid")
top_d=$(awk -v d=$((tb - ta)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s * 100 }')
daemon_with=$(awk -v d=$((db - da)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s * 100 }')
results+=("top, reading the daemon|$top_d")
results+=("the daemon, while top reads it (alone: ${daemon_alone}%)|$daemon_with")
tmux -L "$tmux_server" kill-server
kill "$daemon"; wait "$daemon" 2>/dev/null || true

# 3. nethogs on the namespace's loopback, trace mode, 1 s refresh.
if command -v nethogs >/dev/null; then
  ip netns exec "$ns" nethogs -t -a -d 1 lo >"$work/nethogs.out" 2>&1 & nh=$!; started+=($nh)
  sleep "$warm"
  kill -0 "$nh" 2>/dev/null || { echo "nethogs exited: $(tail -3 "$work/nethogs.out")"; exit 1; }
  results+=("nethogs $(dpkg-query -W -f='${Version}' nethogs 2>/dev/null) -t -a -d 1 lo|$(cpu "$nh" "$secs")")
  kill "$nh"
else
  results+=("nethogs|not installed")
fi
if command -v bandwhich >/dev/null; then
  results+=("bandwhich|installed but not measured by this script")
else
  results+=("bandwhich|not measured: not packaged in Debian, no binary here")
fi

echo
echo "| subject | CPU % of one core over ${secs} s |"
echo "|---|---|"
for r in "${results[@]}"; do echo "| ${r%%|*} | ${r#*|} |"; done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. The flows op at this many flows (no kernel involved: encode and decode only).
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/top-bench.cp >/dev/null
mvn -q -o test-compile
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat target/top-bench.cp)" \
  dev.netwarden.daemon.FlowsOpBench "$((conns * 2))" 20
