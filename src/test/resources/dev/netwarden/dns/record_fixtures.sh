#!/bin/sh
# Re-records the DNS and packet fixtures (as root): a throw-away namespace, dnsmasq serving the
# test names on its loopback, record_fixtures.py asking and capturing. Needs dnsmasq and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ns=nw-dns-fixture-$$
ip netns add "$ns"
trap 'kill "$dpid" 2>/dev/null || true; ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
sleep 1   # ::1 becomes usable once DAD on lo is done
ip netns exec "$ns" dnsmasq -k --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1,::1 \
  --local=/test/ --local-ttl=300 --pid-file= --user=root \
  --host-record=testsite.test,10.53.0.10,fd53::10 --host-record=edge.cdn.test,10.53.0.20,fd53::20 \
  --cname=www.testsite.test,edge.cdn.test \
  --cname=c1.chain.test,c2.chain.test --cname=c2.chain.test,c3.chain.test --cname=c3.chain.test,c4.chain.test \
  --cname=c4.chain.test,final.chain.test --host-record=final.chain.test,10.53.0.30 \
  --host-record=multi.test,10.53.0.41 --host-record=multi.test,10.53.0.42 &
dpid=$!
sleep 1
ip netns exec "$ns" python3 "$here/record_fixtures.py" "$here" "$here/../packet"
