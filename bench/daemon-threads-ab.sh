#!/usr/bin/env bash
# daemon-threads-ab.sh: two builds of the passive daemon side by side, same machine, same moment:
# per-thread CPU of each over one window, so a change to one thread is measured against the same
# background load (other programs' fork/exec/exit, their sockets in the machine-wide hash tables).
#
#   bench/daemon-threads-ab.sh --base DIR [--rate R] [--warmup S] [--duration S]
#                              [--base-opts "JVM OPTS"] [--new-opts "JVM OPTS"] [--new-env "VAR=VALUE ..."] [--ui]
#
# DIR is another checkout of netwarden with its jar built (target/netwarden.jar), or this one (".")
# to compare JVM options alone; "new" is this checkout. --base-opts/--new-opts go to each daemon's
# NETWARDEN_JAVA_OPTS; --new-env sets environment variables for the new one (NETWARDEN_NO_AOT=1, say).
# Each daemon runs at the passive level in its own namespace nw-ab-<pid>-{base,new}; with --rate R
# (default 0 = idle) each namespace also gets a veth pair to a sink namespace and a paced storm of R
# new TCP connections/s (bench/paced-storm.c; the sink is nwb-storm server, ../shared/bench/build.sh).
# Printed per build and thread: ticks (utime+stime, 1/CLK_TCK s), CPU ms and timeslices (scheduler
# runs, about one per wake-up) from /proc/PID/task/TID/{stat,schedstat} over the window.
# PSS (smaps_rollup) of each daemon: the peak of one sample a second over the window, and at its end.
# --ui: one web UI client per daemon over warm-up and window (log in with the daemon's UI token, then
# GET /api/connections and /api/overview once a second with the session, as the UI's page does).
# Root only. Namespaces nw-ab-* are made here and deleted on exit; nothing in the root namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
BASE="" RATE=0 WARMUP=10 DURATION=30 BASE_OPTS="" NEW_OPTS="" NEW_ENV="" UI=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE="$2"; shift 2;;
    --rate) RATE="$2"; shift 2;;
    --warmup) WARMUP="$2"; shift 2;;
    --duration) DURATION="$2"; shift 2;;
    --base-opts) BASE_OPTS="$2"; shift 2;;
    --new-opts) NEW_OPTS="$2"; shift 2;;
    --new-env) NEW_ENV="$2"; shift 2;;
    --ui) UI=1; shift;;
    -h|--help) sed -n '2,20p' "$0"; exit 0;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac
done
[ -n "$BASE" ] && [ -f "$BASE/target/netwarden.jar" ] || { echo "--base DIR with DIR/target/netwarden.jar is required" >&2; exit 2; }
(( RATE >= 0 && RATE <= 2000 && WARMUP >= 0 && WARMUP <= 600 && DURATION >= 1 && DURATION <= 120 )) \
  || { echo "rate 0..2000, warmup 0..600, duration 1..120" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
STORM_SERVER=${NWB_STORM:-${NWB_WORK:-/tmp/nwb-bench}/bin/nwb-storm}
(( RATE == 0 )) || [ -x "$STORM_SERVER" ] || { echo "nwb-storm not found at $STORM_SERVER" >&2; exit 1; }

work="${NW_BENCH_WORK:-/tmp/nw-bench}/threads-ab-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$work"
PIDS=() NSS=()
cleanup() {
  set +e
  local p i
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for ((i = 0; i < 150; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null
  done
  for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(( RATE == 0 )) || gcc -O2 -Wall -o "$work/paced-storm" bench/paced-storm.c
declare -A DAEMON
for build in base new; do
  dir=$([ $build = base ] && echo "$BASE" || echo "$repo")
  ns="nw-ab-$$-$build"; ip netns add "$ns"; NSS+=("$ns"); ip -n "$ns" link set lo up
  if (( RATE > 0 )); then
    sink="nw-ab-$$-$build-s"; ip netns add "$sink"; NSS+=("$sink"); ip -n "$sink" link set lo up
    ip -n "$ns" link add veth0 type veth peer name veth1 netns "$sink"
    ip -n "$ns" addr add 198.18.0.1/24 dev veth0; ip -n "$sink" addr add 198.18.0.2/24 dev veth1
    ip -n "$ns" link set veth0 up; ip -n "$sink" link set veth1 up
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
    ip netns exec "$sink" "$STORM_SERVER" server -a 198.18.0.2 -P 9000 -m 8 -t 300 > "$work/$build-sink.out" 2>&1 &
    PIDS+=($!)
  fi
  opts=$([ $build = base ] && echo "$BASE_OPTS" || echo "$NEW_OPTS")
  extra=$([ $build = base ] && echo "" || echo "$NEW_ENV")
  # shellcheck disable=SC2086
  ip netns exec "$ns" env NETWARDEN_NO_BUILD=1 NETWARDEN_JAVA_OPTS="$opts" $extra "$dir/bin/netwarden" daemon --data-dir "$work/$build" --level passive \
      > "$work/$build.stdout" 2> "$work/$build.stderr" &
  DAEMON[$build]=$!; PIDS+=($!)
done
for build in base new; do
  for ((i = 0; i < 300; i++)); do [ -S "$work/$build/control.sock" ] && break; sleep 0.1; done
  [ -S "$work/$build/control.sock" ] || { echo "$build daemon did not start: $(tail -3 "$work/$build.stderr")" >&2; exit 1; }
done

# A 1 Hz UI client against one daemon, bounded by warm-up + window + 5 s
ui_client() {
  local b=$1 jar="$work/$1-cookies" i
  ip netns exec "nw-ab-$$-$b" curl -s -m 5 -c "$jar" -H 'Content-Type: application/json' \
      -d "{\"token\":\"$(cat "$work/$b/ui-token")\"}" http://127.0.0.1:7979/api/login > /dev/null || return 0
  for ((i = 0; i < WARMUP + DURATION + 5; i++)); do
    ip netns exec "nw-ab-$$-$b" curl -s -m 5 -b "$jar" -o /dev/null http://127.0.0.1:7979/api/connections \
        -o /dev/null http://127.0.0.1:7979/api/overview || true
    sleep 1
  done
}
if (( UI )); then
  for b in base new; do ui_client "$b" > /dev/null 2>&1 & PIDS+=($!); done
fi

storm() { # seconds: both storms at once, bounded by rate x seconds
  (( RATE > 0 )) || { sleep "$1"; return; }
  local b p=()
  for b in base new; do
    ip netns exec "nw-ab-$$-$b" "$work/paced-storm" -a 198.18.0.2 -P 9000 -m 8 -r "$RATE" -d "$1" -c 512 > "$work/$b-storm.out" 2>&1 &
    p+=($!)
  done
  wait "${p[@]}" || true
}
# "tid name ticks runtime_ns timeslices" for every thread of a process
sample() {
  local f d l rest name
  for d in /proc/"$1"/task/*; do
    l=$(cat "$d/stat" 2>/dev/null) || continue
    rest=${l##*) }; name=${l#*(}; name=${name%) *}
    set -- $rest
    echo "${d##*/} ${name// /_} $(( ${12} + ${13} )) $(cat "$d/schedstat" 2>/dev/null | awk '{print $1, $3}')"
  done
}

pss_kb() { awk '/^Pss:/{print $2}' /proc/"$1"/smaps_rollup 2>/dev/null || echo 0; }
# PSS of each daemon once a second while the window runs, into $work/$b-pss.txt
pss_sampler() {
  local b
  while :; do
    for b in base new; do echo "$(pss_kb "${DAEMON[$b]}")" >> "$work/$b-pss.txt"; done
    sleep 1
  done
}

storm "$WARMUP"
for b in base new; do sample "${DAEMON[$b]}" > "$work/$b-0.txt"; done
load0=$(cut -d' ' -f1-3 /proc/loadavg)
pss_sampler & SAMPLER=$!
storm "$DURATION"
kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true
for b in base new; do sample "${DAEMON[$b]}" > "$work/$b-1.txt"; done
echo "window ${DURATION} s after ${WARMUP} s warm-up, ${RATE} conn/s each; opts base '${BASE_OPTS}' new '${NEW_OPTS}' ${NEW_ENV}$( ((UI)) && echo "; one UI client each"); load average $load0 -> $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for b in base new; do
  echo "== $b ($([ $b = base ] && echo "$BASE" || echo "$repo")): PSS MB peak $(sort -n "$work/$b-pss.txt" | tail -1 | awk '{printf "%.1f", $1/1024}') end $(awk '{printf "%.1f", $1/1024}' <<< "$(pss_kb "${DAEMON[$b]}")"); ticks cpu_ms timeslices thread"
  awk 'NR==FNR{t[$1]=$3; r[$1]=$4; s[$1]=$5; next}
       {dt=$3-t[$1]; dr=($4-r[$1])/1e6; ds=$5-s[$1]; T[$2]+=dt; R[$2]+=dr; S[$2]+=ds; AT+=dt; AR+=dr}
       END{for (n in T) if (R[n] >= 0.5) printf "%5d %8.1f %7d %s\n", T[n], R[n], S[n], n;
           printf "%5d %8.1f %7s %s\n", AT, AR, "-", "(all threads)"}' "$work/$b-0.txt" "$work/$b-1.txt" | sort -k2 -rn
done
echo "(raw samples: $work)"
