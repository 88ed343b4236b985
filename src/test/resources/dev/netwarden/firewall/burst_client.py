# Test peer: opens COUNT non-blocking TCP connections to HOST:PORT at once, prints "started", then
# waits up to SECONDS and prints how many connected ("connected N").
import select, socket, sys, time
host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
socks = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex((host, port))
    socks.append(s)
print("started", flush=True)
pending = set(socks)
connected = 0
deadline = time.time() + seconds
while pending and time.time() < deadline:
    _, w, _ = select.select([], list(pending), [], max(0.0, deadline - time.time()))
    for s in w:
        pending.discard(s)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            connected += 1
print("connected %d" % connected, flush=True)
