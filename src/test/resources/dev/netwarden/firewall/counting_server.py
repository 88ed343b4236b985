# Test peer: a TCP server that accepts connections on HOST:PORT and prints "ready", then one line
# "accepted N" per accept (flushed), so the test can see exactly when connections got through.
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(1024)
print("ready", flush=True)
n = 0
while True:
    c, _ = s.accept()
    n += 1
    print("accepted %d" % n, flush=True)
    c.close()
