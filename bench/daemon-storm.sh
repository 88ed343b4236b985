#!/usr/bin/env bash
# daemon-storm.sh: CPU and PSS of the monitor daemon (netwarden at the passive and intercept
# levels) and of opensnitchd, idle and under paced storms of new outbound TCP connections.
#
#   bench/daemon-storm.sh [--rates "0 100 1000 10000"] [--subjects "nw-passive nw-intercept osn"]
#                         [--warmup S] [--duration S] [--out FILE] [--slow-sink]
#
# Per rate R and subject, in fresh namespaces (so TIME_WAIT and conntrack never carry over):
#   nw-bench-<pid>-c [veth0 198.18.0.1/24] <-> [veth1 198.18.0.2/24] nw-bench-<pid>-s
#   the subject and the client (paced-storm) in -c, the sink server (nwb-storm server) in -s.
# A veth pair, not loopback: on loopback the server's accepted sockets would sit beside the
# client's and the daemon would see (and record) every connection twice.
# Timeline: start the subject; warm-up (WARMUP s, default 10, at min(R,1000) conn/s: the JVM's JIT
# compiles the hot paths there; idle: nothing); then the measured window (DURATION s, default 15)
# at R conn/s. Measured: the subject's utime+stime delta over the window from /proc/PID/stat (% of
# one core), PSS from /proc/PID/smaps_rollup (sampled each second: peak and end), the achieved rate.
# netwarden's own record: connections to the sink in its history (warm-up + window) against the
# connections made, and how many of them name a process.
# --slow-sink runs the sink server under SCHED_IDLE (chrt -i): it then answers and closes late, so the
# client's closed sockets wait in FIN-WAIT-2 for the sink's FIN (as behind a busy server). It checks
# that those are recorded once (the TIME-WAIT mini-sockets the kernel leaves are no connections).
#
# Root only. Nothing is created in the root namespace: every namespace is nw-bench-*, made here and
# deleted on exit (trap). opensnitchd runs only inside the client namespace, in its own mount
# namespace with its config bind-mounted over /etc/opensnitchd (as ../shared/bench/connstorm.sh).
# The root namespace firewall (iptables-save, ip6tables-save, nft list ruleset; read-only) is
# compared before and after. Every load is bounded by rate x duration and a time limit.
# Needs: gcc, nwb-storm ($NWB_WORK/bin, built by ../shared/bench/build.sh), sqlite3, python3,
# opensnitchd (Debian opensnitch, installed by ../shared/bench/install-deps.sh without starting it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

RATES="0 100 1000 10000" SUBJECTS="nw-passive nw-intercept osn" WARMUP=10 DURATION=15 OUT="" SLOW_SINK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES="$2"; shift 2;;
    --subjects) SUBJECTS="$2"; shift 2;;
    --warmup) WARMUP="$2"; shift 2;;
    --duration) DURATION="$2"; shift 2;;
    --out) OUT="$2"; shift 2;;
    --slow-sink) SLOW_SINK=1; shift;;
    -h|--help) sed -n '2,29p' "$0"; exit 0;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac
done
(( WARMUP >= 0 && WARMUP <= 60 && DURATION >= 1 && DURATION <= 60 )) || { echo "warmup 0..60, duration 1..60" >&2; exit 2; }
for r in $RATES; do (( r >= 0 && r <= 20000 )) || { echo "rates 0..20000" >&2; exit 2; }; done
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }

NWB_WORK=${NWB_WORK:-/tmp/nwb-bench}
STORM_SERVER=${NWB_STORM:-$NWB_WORK/bin/nwb-storm}
[ -x "$STORM_SERVER" ] || { echo "nwb-storm not found at $STORM_SERVER (run ../shared/bench/build.sh)" >&2; exit 1; }
OSN_BIN="$(command -v opensnitchd || true)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HZ=$(getconf CLK_TCK)

ts="$(date +%Y%m%d-%H%M%S)"
work="${NW_BENCH_WORK:-/tmp/nw-bench}/daemon-storm-$ts"; mkdir -p "$work"
OUT=${OUT:-$work/report.md}
CLI="nw-bench-$$-c" SRV="nw-bench-$$-s" DST=198.18.0.2 PORT=9000 NPORTS=8
PACED="$work/paced-storm"
gcc -O2 -Wall -o "$PACED" bench/paced-storm.c

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

fw_snapshot() { # read-only dump of the root namespace firewall
  { for t in iptables-save ip6tables-save iptables-legacy-save ip6tables-legacy-save; do
      command -v "$t" >/dev/null || continue
      echo "### $t"; { "$t" 2>&1 || true; } | grep -v '^#' || true
    done
    echo "### nft list ruleset"; nft list ruleset 2>&1 || true; } > "$1"
}

SERVER_PID="" SUBJ_PID=""
stop_pid() { # pid [seconds]: TERM, wait, KILL; only pids this script started
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < ${2:-15} * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid did not stop after SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
}
teardown() {
  set +e
  [ -n "$SUBJ_PID" ] && { stop_pid "$SUBJ_PID" 15; wait "$SUBJ_PID" 2>/dev/null; }
  [ -n "$SERVER_PID" ] && { stop_pid "$SERVER_PID" 5; wait "$SERVER_PID" 2>/dev/null; }
  SUBJ_PID="" SERVER_PID=""
  for ns in "$CLI" "$SRV"; do ip netns list | awk '{print $1}' | grep -qx "$ns" && ip netns del "$ns"; done
  return 0
}
final() {
  teardown
  fw_snapshot "$work/root-fw-after.txt"
  if diff -u "$work/root-fw-before.txt" "$work/root-fw-after.txt" > "$work/root-fw.diff"; then
    echo "Root namespace firewall (iptables-save, ip6tables-save, legacy variants, nft list ruleset) before == after: yes ($(grep -vc '^###' "$work/root-fw-before.txt") rule lines)." >> "$OUT"
  else
    echo "Root namespace firewall before == after: **NO**, see $work/root-fw.diff" >> "$OUT"; cat "$work/root-fw.diff" >&2
  fi
  cat "$OUT"; log "report: $OUT"
}
fw_snapshot "$work/root-fw-before.txt"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)" START_UTC="$(date -u '+%Y-%m-%d %H:%M')"
trap final EXIT
trap 'exit 130' INT TERM

setup_net() {
  ip netns add "$CLI"; ip netns add "$SRV"
  ip -n "$CLI" link set lo up; ip -n "$SRV" link set lo up
  # created inside the namespaces: nothing is added to the root namespace
  ip -n "$CLI" link add veth0 type veth peer name veth1 netns "$SRV"
  ip -n "$CLI" addr add 198.18.0.1/24 dev veth0; ip -n "$SRV" addr add $DST/24 dev veth1
  ip -n "$CLI" link set veth0 up; ip -n "$SRV" link set veth1 up
  ip netns exec "$CLI" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
  ip netns exec "$SRV" sysctl -qw net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
  ip netns exec "$SRV" "$STORM_SERVER" server -a $DST -P $PORT -m $NPORTS -t 300 > "$work/server.out" 2> "$work/server.err" &
  SERVER_PID=$!
  (( SLOW_SINK )) && chrt -a -i -p 0 "$SERVER_PID" > /dev/null
  local i
  for ((i = 0; i < 50; i++)); do grep -q listening "$work/server.err" 2>/dev/null && return 0; sleep 0.1; done
  log "server did not start: $(cat "$work/server.err")"; return 1
}

nw_status() { # $1 = control socket; prints the status JSON line
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall(b'{"op":"status"}\n'); buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(65536)
    if not d: break
    buf += d
print(buf.decode().strip())
EOF
}

start_subject() { # $1 = subject, $2 = its directory
  local subj="$1" d="$2" i
  mkdir -p "$d"
  case "$subj" in
    nw-passive|nw-intercept)
      ip netns exec "$CLI" env NETWARDEN_NO_BUILD=1 ${NETWARDEN_JAVA_OPTS:+NETWARDEN_JAVA_OPTS="$NETWARDEN_JAVA_OPTS"} \
          "$repo/bin/netwarden" daemon --data-dir "$d/data" --level "${subj#nw-}" > "$d/stdout" 2> "$d/stderr" &
      SUBJ_PID=$!
      for ((i = 0; i < 300; i++)); do
        [ -S "$d/data/control.sock" ] && nw_status "$d/data/control.sock" > "$d/status-start.json" 2>/dev/null && break
        kill -0 "$SUBJ_PID" 2>/dev/null || { log "netwarden exited: $(tail -5 "$d/stderr")"; return 1; }
        sleep 0.1
      done
      [ "$(cat /proc/$SUBJ_PID/comm)" = java ] || { log "pid $SUBJ_PID is $(cat /proc/$SUBJ_PID/comm), not java"; return 1; } ;;
    osn)
      [ -n "$OSN_BIN" ] || { log "opensnitchd is not installed"; return 1; }
      mkdir -p "$d/etc" "$d/rules"
      cat > "$d/etc/default-config.json" <<EOF
{
    "Server": { "Address": "unix://$d/no-ui.sock", "LogFile": "$d/opensnitchd.log" },
    "DefaultAction": "allow",
    "DefaultDuration": "once",
    "InterceptUnknown": false,
    "ProcMonitorMethod": "proc",
    "LogLevel": 1,
    "Firewall": "iptables",
    "Stats": { "MaxEvents": 150, "MaxStats": 25 }
}
EOF
      echo '{ "SystemRules": [] }' > "$d/etc/system-fw.json"
      # 1.5.8 reads /etc/opensnitchd/*.json from fixed paths: a private mount namespace with ours
      # bind-mounted there. exec chain keeps the pid: ip -> unshare -> sh -> opensnitchd.
      ip netns exec "$CLI" unshare --mount --propagation private \
          sh -c 'mount --bind "$1" /etc/opensnitchd && exec "$2" -rules-path "$3" -queue-num 0 -process-monitor-method proc' \
          sh "$d/etc" "$OSN_BIN" "$d/rules" > "$d/stdout" 2> "$d/stderr" &
      SUBJ_PID=$!
      for ((i = 0; i < 150; i++)); do
        ip netns exec "$CLI" iptables -t mangle -S OUTPUT 2>/dev/null | grep -q NFQUEUE && break
        kill -0 "$SUBJ_PID" 2>/dev/null || { log "opensnitchd exited: $(tail -5 "$d/stderr")"; return 1; }
        sleep 0.1
      done
      sleep 1
      [ "$(cat /proc/$SUBJ_PID/comm)" = opensnitchd ] || { log "pid $SUBJ_PID is not opensnitchd"; return 1; } ;;
  esac
  ip netns exec "$CLI" iptables-save > "$d/ns-iptables.txt" 2>&1
  fw_snapshot "$d/root-fw-during.txt"
  cmp -s "$work/root-fw-before.txt" "$d/root-fw-during.txt" || { log "ROOT FIREWALL CHANGED while $subj ran"; return 1; }
}

cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
# "tid name utime stime" of every thread (the name may contain spaces: it is between the parentheses)
thread_ticks() {
  local f l
  for f in /proc/"$1"/task/*/stat; do
    l=$(cat "$f" 2>/dev/null) || continue
    local rest=${l##*) } name=${l#*(}; name=${name%) *}
    set -- $rest
    echo "${f//[!0-9]/} ${name// /_} ${12} ${13}"
  done
}
# threads' CPU over the window, busiest first: "ticks_total ticks_sys name"
thread_delta() {
  awk 'NR==FNR{u[$1]=$3; s[$1]=$4; next} {du=$3-u[$1]; ds=$4-s[$1]; t[$2]+=du+ds; k[$2]+=ds}
       END{for (n in t) if (t[n] > 0) print t[n], k[n], n}' "$1" "$2" | sort -rn
}
pss_kb() { awk '/^Pss:/{print $2}' /proc/"$1"/smaps_rollup 2>/dev/null || echo 0; }

# The once-a-second sampling below forks nothing (bash builtins only: `read` from smaps_rollup, and a
# 1 s `read -t` on a FIFO instead of sleep). Why: a daemon that follows the proc connector wakes for
# every fork, exec and exit on the machine, so a sampler running awk and sleep each second would
# add ~6 process events a second of its own to what is measured as idle; opensnitchd here polls
# /proc instead and would not see them.
PSS_NOW=0
pss_now() {
  local key val rest
  PSS_NOW=0
  while read -r key val rest; do
    if [ "$key" = "Pss:" ]; then PSS_NOW=$val; return; fi
  done < /proc/"$1"/smaps_rollup 2>/dev/null
}
tick_fifo="$work/tick.fifo"
tick() {
  [ -p "$tick_fifo" ] || mkfifo "$tick_fifo"
  [ -n "${TICK_FD:-}" ] || exec {TICK_FD}<>"$tick_fifo"
  read -r -t 1 -u "$TICK_FD" _ || true
}

# storm RATE SECONDS OUTFILE: paced storm in the client namespace (idle: sleep), sampling PSS each
# second into PSS_PEAK.
PSS_PEAK=0
storm() {
  local rate="$1" secs="$2" out="$3" pid=""
  if (( rate > 0 )); then
    ip netns exec "$CLI" "$PACED" -a $DST -P $PORT -m $NPORTS -r "$rate" -d "$secs" -c 512 > "$out" 2>&1 &
    pid=$!
  fi
  local end=$((SECONDS + secs))
  while (( SECONDS < end + 5 )); do
    pss_now "$SUBJ_PID"; (( PSS_NOW > PSS_PEAK )) && PSS_PEAK=$PSS_NOW
    if [ -n "$pid" ]; then kill -0 "$pid" 2>/dev/null || break; else (( SECONDS >= end )) && break; fi
    tick
  done
  [ -n "$pid" ] && { stop_pid "$pid" 2; wait "$pid" || true; }
  return 0
}

kv() { grep -o "$1=[^ ]*" "$2" 2>/dev/null | cut -d= -f2 || echo 0; }

tsv="$work/results.tsv"
printf 'subject\trate\tachieved\tbehind\terr_tmo\tcpu_pct\tsys_pct\tpss_peak_mb\tpss_end_mb\trss_end_mb\tmade\trecorded\tattributed\tp50_us\tp99_us\n' > "$tsv"
t_start=$SECONDS
for rate in $RATES; do
  for subj in $SUBJECTS; do
    d="$work/$subj-$rate"
    log "== $subj at $rate conn/s"
    setup_net || { teardown; continue; }
    if ! start_subject "$subj" "$d"; then teardown; echo "$subj $rate: did not start (see $d)" >> "$work/notes.txt"; continue; fi
    warm_rate=$(( rate < 1000 ? rate : 1000 ))
    PSS_PEAK=0
    storm "$warm_rate" "$WARMUP" "$d/warmup.out"
    PSS_PEAK=0
    thread_ticks "$SUBJ_PID" > "$d/threads-0.txt"
    c0=$(cpu_ticks "$SUBJ_PID"); s0=$(awk '{print $15}' /proc/$SUBJ_PID/stat); w0=$(date +%s%N)
    storm "$rate" "$DURATION" "$d/storm.out"
    c1=$(cpu_ticks "$SUBJ_PID"); s1=$(awk '{print $15}' /proc/$SUBJ_PID/stat); w1=$(date +%s%N)
    thread_ticks "$SUBJ_PID" > "$d/threads-1.txt"
    thread_delta "$d/threads-0.txt" "$d/threads-1.txt" > "$d/threads.txt"
    pss_end=$(pss_kb "$SUBJ_PID"); rss_end=$(awk '/^VmRSS:/{print $2}' /proc/$SUBJ_PID/status)
    (( pss_end > PSS_PEAK )) && PSS_PEAK=$pss_end
    made=$(( $(kv ok "$d/warmup.out") + $(kv ok "$d/storm.out") ))
    recorded="-" attributed="-"
    if [[ "$subj" == nw-* ]]; then
      nw_status "$d/data/control.sock" > "$d/status-end.json" 2>/dev/null || true
      stop_pid "$SUBJ_PID" 20; wait "$SUBJ_PID" 2>/dev/null || true; SUBJ_PID=""
      # the sink's ports, outbound from the client: every one of them is a storm connection
      q="SELECT count(*), coalesce(sum(process_id IS NOT NULL), 0) FROM connections WHERE remote_port BETWEEN $PORT AND $((PORT + NPORTS - 1)) AND transport = 'tcp';"
      IFS='|' read -r recorded attributed < <(sqlite3 -readonly "$d/data/history.db" "$q" 2>/dev/null || echo "-|-")
    else
      grep -c 'Timed out while sending packet' "$d/stderr" > "$d/osn-uninspected.txt" 2>/dev/null || true
    fi
    dt=$(( (w1 - w0) / 1000000 ))
    python3 - "$subj" "$rate" "$d/storm.out" "$c0" "$c1" "$s0" "$s1" "$dt" "$HZ" "$PSS_PEAK" "$pss_end" "$rss_end" "$made" "$recorded" "$attributed" "$DURATION" >> "$tsv" <<'EOF'
import sys
subj, rate, out, c0, c1, s0, s1, dt, hz, peak, pend, rss, made, rec, att, dur = sys.argv[1:]
kv = {}
try:
    kv = dict(x.split("=", 1) for x in open(out).read().split() if "=" in x)
except OSError:
    pass
cpu = (int(c1) - int(c0)) / int(hz)
secs = int(dt) / 1000
sysp = (int(s1) - int(s0)) / (int(c1) - int(c0)) * 100 if int(c1) > int(c0) else 0
achieved = "%.0f" % (int(kv.get("ok", 0)) / int(dur)) if int(rate) > 0 else "0"
print("\t".join([subj, rate, achieved, kv.get("behind", "0"),
                 str(int(kv.get("err", 0)) + int(kv.get("timeouts", 0))),
                 "%.2f" % (100 * cpu / secs), "%.0f" % sysp,
                 "%.1f" % (int(peak) / 1024), "%.1f" % (int(pend) / 1024), "%.1f" % (int(rss) / 1024),
                 made, rec, att, kv.get("p50_us", "-"), kv.get("p99_us", "-")]))
EOF
    log "   $(tail -1 "$tsv")"
    teardown
  done
done

{
  echo "Run of $START_UTC–$(date -u +%H:%M) UTC, commit \`$(git -C "$repo" log -1 --format=%h\ %s | cut -c1-60)\`;"
  echo "load average (1/5/15 min) at start: $LOAD0, at end: $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "warm-up ${WARMUP} s at min(R, 1000) conn/s, measured window ${DURATION} s at R; $(nproc) cores; $(( SECONDS - t_start )) s in all."
  echo "NETWARDEN_JAVA_OPTS=${NETWARDEN_JAVA_OPTS:-(none)}; opensnitchd $("$OSN_BIN" -version 2>/dev/null || echo '-')."
  (( SLOW_SINK )) && echo "The sink server ran under SCHED_IDLE (--slow-sink)."
  echo
  python3 - "$tsv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
names = {"nw-passive": "netwarden passive", "nw-intercept": "netwarden intercept", "osn": "opensnitchd 1.5.8"}
print("| rate (conn/s) | subject | achieved conn/s | CPU % of a core | of it kernel | PSS peak / end MB | RSS end MB | connect p50 / p99 µs | recorded / made (attributed) |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    rec = "-"
    if r["recorded"] not in ("-", ""):
        made, recd, att = int(r["made"]), int(r["recorded"]), int(r["attributed"])
        rec = "%d / %d (%d = %.0f%%)" % (recd, made, att, 100 * att / recd if recd else 0)
    ach = r["achieved"] if r["rate"] != "0" else "idle"
    if r["rate"] != "0" and (r["behind"] not in ("0", "") or r["err_tmo"] != "0"):
        ach += " (behind %s, err+timeouts %s)" % (r["behind"], r["err_tmo"])
    lat = "%s / %s" % (r["p50_us"], r["p99_us"]) if r["rate"] != "0" else "-"
    print("| %s | %s | %s | **%s** | %s%% | %s / %s | %s | %s | %s |" % (r["rate"], names.get(r["subject"], r["subject"]), ach,
          r["cpu_pct"], r["sys_pct"], r["pss_peak_mb"], r["pss_end_mb"], r["rss_end_mb"], lat, rec))
EOF
  echo
  [ -f "$work/notes.txt" ] && cat "$work/notes.txt"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
