# Makes COUNT new connections (tcp) or flows (udp) to HOST:PORT, each with ROUNDS echo round trips,
# and prints each one's local port. Exit 1 (with the error) if any fails within TIMEOUT seconds.
import socket, sys

proto, host, port, count, rounds, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
ports = []
try:
    for i in range(count):
        s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
        s.settimeout(timeout)
        s.connect((host, port))
        for r in range(rounds):
            msg = b"hello %d %d" % (i, r)
            s.send(msg)
            got = s.recv(4096)
            if got != msg:
                raise RuntimeError("echo mismatch")
        ports.append(s.getsockname()[1])
        s.close()
except Exception as e:
    print("error: %r" % (e,), file=sys.stderr)
    sys.exit(1)
for p in ports:
    print(p)
