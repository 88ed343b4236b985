#!/usr/bin/env bash
# firewall-storm.sh: issue 4's benchmark. Connections/s and connect latency (p50/p99) of K new
# outbound TCP connections over a veth pair through: no firewall (none), a bare C NFQUEUE
# accept-all loop (nfq), netwarden's firewall with 1,000 rules and a 100k-domain block list
# (cmd) and opensnitchd default-allow (osn). The storms themselves are ../shared/bench/connstorm.sh's
# (fresh namespaces per scenario, root namespace firewall compared before/during/after).
#
#   bench/firewall-storm.sh [-k K=20000] [-c C=32] [--repeat R=1] [--scenarios "none nfq cmd osn"]
#                           [--rules N=1000] [--domains N=100000] [--out FILE]
# Environment: NW_NETWARDEN (launcher to measure, default bin/netwarden), NW_JAVA_OPTS (the launcher's
# NETWARDEN_JAVA_OPTS: JVM options after its own), NW_JAVA_TOOL_OPTIONS (passed to
# the daemon's JVM, e.g. a JFR recording), NWB_FW_WAIT (seconds the daemon gets to start, default 8),
# NW_DAEMON_ARGS (more daemon options, e.g. "--set intercept.queues=1").
#
# --repeat R runs R storms per scenario against the same firewall process (connstorm.sh's repeat). The
# first is "cold": netwarden's daemon started seconds before and its JIT compiler still works through
# the hot paths during it (~7 µs more CPU per connection). Storms 2..R are "warm", the state of a daemon
# that has run for a while; the summary gives the ratios for both (warm: medians of storms 2..R).
#
# The rules are a realistic mix, none matching the storm client (nwb-storm, uid 0, to 198.18.0.2
# ports 9000-9007), so every connection is checked against all of them and falls to the default
# allow: exe rules (some with a port or host), host rules, CIDR/port rules, and rules that ask the
# block list "bench" (some alone, some together with an exe). Rules are written as files directly
# (the format of docs/rules.md; `netwarden rules list` reads them back at the end as a check).
# netwarden runs as `bin/netwarden daemon --level intercept` in the client namespace and inserts
# its own rules (connstorm's NWB_FW_RULE=own).
#
# Root only; everything it creates lives in namespaces made by connstorm.sh and in a work directory
# under /tmp. Needs ../shared/bench built (NWB_WORK, default /tmp/nwb-bench) and opensnitchd for osn.
# Prints a markdown table (conn/s, p50/p99, CPU µs per connection) and writes it to --out.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
K=20000 C=32 REPEAT=1 SCEN="none nfq cmd osn" NRULES=1000 NDOMAINS=100000 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    -k) K="$2"; shift 2;;
    -c) C="$2"; shift 2;;
    --repeat) REPEAT="$2"; shift 2;;
    --scenarios) SCEN="$2"; shift 2;;
    --rules) NRULES="$2"; shift 2;;
    --domains) NDOMAINS="$2"; shift 2;;
    --out) OUT="$2"; shift 2;;
    -h|--help) sed -n '2,22p' "$0"; exit 0;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
(( NRULES >= 10 && NRULES <= 100000 && NDOMAINS >= 1 && NDOMAINS <= 10000000 )) || { echo "rules 10..100000, domains 1..10M" >&2; exit 2; }
export NWB_WORK=${NWB_WORK:-/tmp/nwb-bench}
BENCH=${NWB_BENCH:-$repo/../shared/bench}
[ -x "$BENCH/connstorm.sh" ] || BENCH=/work/shared/bench
[ -x "$NWB_WORK/bin/nwb-storm" ] && [ -x "$NWB_WORK/bin/nwb-nfq-accept" ] || "$BENCH/build.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NW=${NW_NETWARDEN:-$repo/bin/netwarden}   # another build to compare (e.g. a worktree of an older commit)

ts="$(date +%Y%m%d-%H%M%S)"
work="${NW_BENCH_WORK:-/tmp/nw-bench}/firewall-storm-$ts"; mkdir -p "$work/rules" "$work/lists" "$work/data"
OUT=${OUT:-$work/report.md}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- rules + block list
python3 - "$work/rules" "$work/lists/bench.list" "$NRULES" "$NDOMAINS" <<'EOF'
import os, sys
rules, listfile, n, ndom = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
apps = ["firefox", "chromium", "curl", "wget", "ssh", "git", "apt", "python3", "node", "java", "slack",
        "spotify", "steam", "zoom", "thunderbird", "dropbox", "code", "docker", "containerd", "syncthing"]
def write(i, action, match, prio=0):
    with open(os.path.join(rules, f"bench-{i:05d}.toml"), "w") as f:
        f.write(f'description = "benchmark rule {i}"\naction = "{action}"\npriority = {prio}\n\n[match]\n')
        for k, v in match:
            f.write(f"{k} = {v}\n")
for i in range(n):
    kind = i % 10
    app = f"/opt/bench/{apps[i % len(apps)]}-{i}/bin/{apps[i % len(apps)]}"
    if kind in (0, 1, 2):            # exe rules (30%): an application allowed or denied everywhere
        write(i, "allow" if kind else "deny", [("exe", f'"{app}"')])
    elif kind == 3:                  # exe + service port
        write(i, "allow", [("exe", f'"{app}"'), ("port", f"[443, {1000 + i % 7000}]"), ("proto", '"tcp"')])
    elif kind in (4, 5):             # host rules (20%): a site and its subdomains
        write(i, "deny" if kind == 4 else "reject", [("host", f'["site{i}.example", "*.site{i}.example"]')])
    elif kind == 6:                  # exe + host
        write(i, "allow", [("exe", f'"{app}"'), ("host", f'"api{i}.example"')])
    elif kind == 7:                  # CIDR rules (10%): never 198.18.0.0/15
        write(i, "deny", [("cidr", f'"10.{i % 256}.{(i // 256) % 256}.0/24"')])
    elif kind == 8:                  # CIDR + port range, not 9000-9007
        write(i, "reject", [("cidr", f'"172.{16 + i % 16}.0.0/16"'), ("port", f'"{20000 + i % 1000}-{21000 + i % 1000}"')])
    else:                            # block list (10%): alone, or for one application
        if i % 20 == 9:
            write(i, "deny", [("list", '"bench"')], prio=5)
        else:
            write(i, "deny", [("exe", f'"{app}"'), ("list", '"bench"')])
with open(listfile, "w") as f:
    f.write("# benchmark block list: plain domains\n")
    for j in range(ndom):
        f.write(f"ad{j}.tracker{j % 997}.example\n")
EOF
log "wrote $NRULES rule files to $work/rules and $NDOMAINS domains to $work/lists/bench.list"
NETWARDEN_NO_BUILD=0 "$NW" --version >/dev/null 2>&1 || true   # build the jar once, outside the storm
nrules_ok="$("$NW" rules list --rules-dir "$work/rules" --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d.get("rules", d) if isinstance(d, dict) else d; print(len(r))' 2>/dev/null || echo "?")"
log "netwarden rules list reads back $nrules_ok rules"

# ---------------------------------------------------------------- storms
export NWB_FW_CMD="env NETWARDEN_NO_BUILD=1 NETWARDEN_JAVA_OPTS='${NW_JAVA_OPTS:-}' JAVA_TOOL_OPTIONS='${NW_JAVA_TOOL_OPTIONS:-}' $NW daemon --level intercept --data-dir $work/data --rules-dir $work/rules --set firewall.lists_dir=$work/lists ${NW_DAEMON_ARGS:-}"
export NWB_FW_RULE=own NWB_FW_WAIT=${NWB_FW_WAIT:-8}
# netwarden's own counters: its control socket is polled while it runs (the last answer is kept).
python3 - "$work/data/control.sock" "$work/status.json" <<'EOF' &
import json, os, socket, sys, time
sock, out = sys.argv[1], sys.argv[2]
deadline = time.time() + 900
while time.time() < deadline:
    try:
        s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sock)
        s.sendall(b'{"op":"status"}\n'); buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk: break
            buf += chunk
        s.close()
        if buf.strip():
            open(out + ".tmp", "wb").write(buf); os.replace(out + ".tmp", out)
    except OSError:
        if os.path.exists(out) and not os.path.exists(sock): break
    time.sleep(0.5)
EOF
POLLER=$!
trap 'kill $POLLER 2>/dev/null || true' EXIT
before="$(ls "$NWB_WORK"/results/connstorm-*.md 2>/dev/null | sort | tail -1 || true)"
log "connstorm: K=$K C=$C scenarios: $SCEN"
"$BENCH/connstorm.sh" -k "$K" -c "$C" --repeat "$REPEAT" --no-failmodes --scenarios "$SCEN" > "$work/connstorm.out" 2> "$work/connstorm.err" || {
  log "connstorm failed:"; tail -20 "$work/connstorm.err" >&2; exit 1; }
md="$(ls "$NWB_WORK"/results/connstorm-*.md | sort | tail -1)"
[ "$md" != "$before" ] || { echo "no new connstorm report" >&2; exit 1; }
tsv="${md%.md}.tsv"

kill $POLLER 2>/dev/null || true

# ---------------------------------------------------------------- table
python3 - "$tsv" "$K" "$C" "$NRULES" "$NDOMAINS" > "$OUT" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
k, c, nr, nd = sys.argv[2:6]
names = {"none": "no firewall", "nfq": "bare NFQUEUE accept-all (C, libnetfilter_queue)",
         "cmd": f"**netwarden**, {int(nr):,} rules + {int(nd):,}-domain list, default allow",
         "osn": "opensnitchd 1.5.8, default allow"}
print(f"K={k} connections, {c} in flight, veth. conn/s; connect latency µs; firewall CPU (utime+stime) per connection.\n")
print("| scenario | rep | ok | errors/timeouts | conn/s | p50 µs | p99 µs | p99.9 µs | fw CPU µs/conn | fw CPU % in kernel | fw RSS peak MB | queue drops |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    g = r.get
    print(f"| {names.get(g('label'), g('label'))} | {g('rep')} | {g('ok')} | {g('err')}/{g('timeouts')} | {g('conn_per_s')} | {g('p50_us')} | {g('p99_us')} | {g('p999_us')} | "
          f"{g('fw_cpu_us_per_conn')} | {g('fw_sys_pct')} | {g('fw_rss_peak_mb')} | {g('q_dropped')}/{g('q_user_dropped')} |")
def runs(label, warm):
    """(conn/s, p99 µs) of a scenario: its first storm (cold: the firewall just started), or the median
    of its later ones (warm: the same firewall process after the first storm, --repeat > 1)."""
    out = []
    for r in rows:
        if r.get("label") != label:
            continue
        try:
            v = (float(r["conn_per_s"]), float(r["p99_us"]))
        except (KeyError, ValueError):
            continue
        if (int(r.get("rep", "1")) > 1) == warm:
            out.append(v)
    if not out:
        return None
    return (sorted(v[0] for v in out)[len(out) // 2], sorted(v[1] for v in out)[len(out) // 2])
print()
for warm in (False, True):
    nfq, cmd, osn = runs("nfq", warm), runs("cmd", warm), runs("osn", warm)
    if not (nfq and cmd) and not (cmd and osn):
        continue
    print("warm (median of storms 2.." + str(max(int(r.get("rep", "1")) for r in rows)) + ", same processes): " if warm else "cold (first storm): ", end="")
    if nfq and cmd:
        print(f"netwarden / bare queue: conn/s {cmd[0] / nfq[0]:.0%} (target ≥ 80%), p99 {cmd[1] / nfq[1]:.2f}× (target ≤ 1.5×)" + ("; " if osn else ""), end="")
    if cmd and osn:
        print(f"netwarden / opensnitchd: conn/s {cmd[0] / osn[0]:.0f}× (target ≥ 50×)", end="")
    print()
EOF
{
  echo
  grep -E "root namespace firewall" "$md" | sed 's/^/- /'
  if [ -f "$work/status.json" ]; then
    python3 - "$work/status.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); sv = d.get("services", {})
fw = sv.get("intercept", {}).get("firewall", {}); own = sv.get("monitor", {}).get("owners", {})
print(f"- netwarden's last status during the storms: intercept queued {sv.get('intercept', {}).get('queued')}, "
      f"decided by rule {fw.get('decided_by_rule')} / by default {fw.get('decided_by_default')}; owners: "
      f"full rescans {own.get('full_rescans')}, hot rescans {own.get('hot_rescans')}, last-owner hits {own.get('last_owner_hits')}, "
      f"snapshot cache hits {own.get('owner_cache_hits')}")
EOF
  fi
  echo "- connstorm report: $md; netwarden's log: $(ls -d "$NWB_WORK"/run/connstorm-* | sort | tail -1)/cmd.err"
} >> "$OUT"
cat "$OUT"
log "report: $OUT"
