"""Socket holders for the conns integration tests. Run inside a test network namespace.

  conns_peers.py server    TCP listeners 127.0.0.1:7101 (backlog 7) and [::1]:7102, UDP 127.0.0.1:7103
                           and [::1]:7104, RAW ICMP and ICMPv6 sockets; on [::] a dual-stack TCP listener
                           :7111 and UDP socket :7113 (IPV6_V6ONLY 0) and a v6-only TCP listener :7112;
                           accepts one connection on 7101 and never reads it
  conns_peers.py client    connects to 7101 and sends 300 bytes; a connected UDP socket to 7103;
                           a TCP connection to [::1]:7102
  conns_peers.py listen P [NAME]  one TCP listener on 127.0.0.1:P (used as a second user); with NAME,
                           the process first renames itself (prctl PR_SET_NAME), e.g. to a hostile name
  conns_peers.py unix PATH  a UNIX stream listener at PATH with one accepted connection, and a datagram
                           socket bound to the abstract name "@nw-test-dgram"

Each prints "ready" once its sockets exist, then sleeps until killed (at most 120 s).
"""
import socket
import sys
import time

keep = []
mode = sys.argv[1]
if mode == "server":
    t4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t4.bind(("127.0.0.1", 7101))
    t4.listen(7)
    t6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t6.bind(("::1", 7102))
    t6.listen(5)
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u4.bind(("127.0.0.1", 7103))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.bind(("::1", 7104))
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    dual = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    dual.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    dual.bind(("::", 7111))
    dual.listen(3)
    only6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    only6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    only6.bind(("::", 7112))
    only6.listen(3)
    dual_udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    dual_udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    dual_udp.bind(("::", 7113))
    keep += [t4, t6, u4, u6, raw, raw6, dual, only6, dual_udp]
    print("ready", flush=True)
    t4.settimeout(30)
    conn, _ = t4.accept()
    keep.append(conn)
    t6.settimeout(30)
    conn6, _ = t6.accept()
    keep.append(conn6)
    print("accepted", flush=True)
elif mode == "client":
    c = socket.create_connection(("127.0.0.1", 7101), timeout=10)
    c.sendall(b"x" * 300)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect(("127.0.0.1", 7103))
    c6 = socket.create_connection(("::1", 7102), timeout=10)
    keep += [c, u, c6]
    print("ready", flush=True)
elif mode == "listen":
    if len(sys.argv) > 3:
        import ctypes
        ctypes.CDLL(None).prctl(15, sys.argv[3].encode("latin-1"), 0, 0, 0)  # PR_SET_NAME
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", int(sys.argv[2])))
    s.listen(3)
    keep.append(s)
    print("ready", flush=True)
elif mode == "unix":
    l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    l.bind(sys.argv[2])
    l.listen(4)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(sys.argv[2])
    a, _ = l.accept()
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.bind("\0nw-test-dgram")
    keep += [l, c, a, d]
    print("ready", flush=True)
else:
    sys.exit("unknown mode " + mode)
time.sleep(120)
