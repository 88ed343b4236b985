#!/usr/bin/env python3
"""Bounded connection storm for the CPU measurement: RATE TCP connections per second to a local
echo-less server for SECONDS seconds (each sends 100 bytes and closes), then exits."""
import socket, sys, threading, time

host, port, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port)); srv.listen(128); srv.settimeout(seconds + 10)


def serve():
    try:
        while True:
            c, _ = srv.accept()
            c.recv(4096)
            c.close()
    except OSError:
        pass


threading.Thread(target=serve, daemon=True).start()
print('ready', flush=True)
end = time.monotonic() + seconds
n = 0
next_at = time.monotonic()
while time.monotonic() < end:
    c = socket.create_connection((host, port), timeout=5)
    c.sendall(b'x' * 100)
    c.close()
    n += 1
    next_at += 1.0 / rate
    delay = next_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print('connections', n, flush=True)
