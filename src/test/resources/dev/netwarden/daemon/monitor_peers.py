# Peers for MonitorIT: servers and clients whose pids, ports and timing the test knows.
# Every mode is bounded in count and time. Output lines are read by the test.
import os
import socket
import struct
import sys
import threading
import time


def addr(name, port, kind=socket.SOCK_STREAM):
    """Resolves through the namespace's resolver (dnsmasq): the DNS answer is what the daemon learns from."""
    fam, _, _, _, sa = socket.getaddrinfo(name, port, type=kind)[0]
    return fam, sa


def sink(host, port):
    """TCP server: reads each connection to EOF (at most 60 s) and closes it."""
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    l = socket.socket(fam)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((host, int(port)))
    l.listen(1024)
    print('ready', flush=True)

    def drain(c):
        c.settimeout(60)
        try:
            while c.recv(65536):
                pass
        except OSError:
            pass
        c.close()

    while True:
        c, _ = l.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def udpecho(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    print('ready', flush=True)
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def udpclient(name, port, hold):
    """A connected UDP socket: one datagram each way, then kept open for HOLD seconds."""
    fam, sa = addr(name, int(port), socket.SOCK_DGRAM)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.connect(sa)
    s.settimeout(5)
    s.send(b'ping')
    assert s.recv(16) == b'ping'
    print(os.getpid(), s.getsockname()[1], flush=True)
    time.sleep(float(hold))
    s.close()


def hold(name, port, seconds):
    """TCP client: connects by name, sends a line, holds the connection SECONDS."""
    fam, sa = addr(name, int(port))
    s = socket.socket(fam)
    s.connect(sa)
    s.sendall(b'hello\n')
    print(os.getpid(), s.getsockname()[1], flush=True)
    time.sleep(float(seconds))
    s.close()


def quick(host, port):
    """Connects and exits at once; prints its pid and how long connect-to-exit took (ms)."""
    t0 = time.monotonic()
    s = socket.create_connection((host, int(port)))
    local = s.getsockname()[1]
    sys.stdout.write('%d %d %.3f\n' % (os.getpid(), local, (time.monotonic() - t0) * 1000))
    sys.stdout.flush()
    os._exit(0)


def recv_exact(c, n):
    got = 0
    while got < n:
        b = c.recv(min(65536, n - got))
        if not b:
            raise EOFError('peer closed after %d of %d bytes' % (got, n))
        got += len(b)


def bulkserve(host, port, n):
    """Reads N bytes, sends N bytes back, then waits for the client to close (one connection)."""
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((host, int(port)))
    l.listen(1)
    print('ready', flush=True)
    c, _ = l.accept()
    c.settimeout(30)
    recv_exact(c, int(n))
    c.sendall(b'x' * int(n))
    while c.recv(65536):
        pass
    c.close()


def bulk(host, port, n, hold_s):
    """Sends N bytes, reads N bytes, holds the connection HOLD seconds, closes."""
    s = socket.create_connection((host, int(port)))
    s.settimeout(30)
    s.sendall(b'y' * int(n))
    recv_exact(s, int(n))
    print(os.getpid(), s.getsockname()[1], flush=True)
    time.sleep(float(hold_s))
    s.close()


def storm(host, port, count, seconds, log):
    """COUNT short TCP connections spread over about SECONDS; logs 'epoch_ms local_port' after each close."""
    count, seconds = int(count), float(seconds)
    start = time.monotonic()
    with open(log, 'w') as out:
        print('started', flush=True)
        for i in range(count):
            due = start + seconds * i / count
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            s = socket.create_connection((host, int(port)), timeout=5)
            local = s.getsockname()[1]
            s.close()
            out.write('%d %d\n' % (time.time() * 1000, local))
            if i % 50 == 0:
                out.flush()
            if time.monotonic() - start > seconds + 20:
                break
    print('done', flush=True)


def hostile_dns(target_port, rounds):
    """Crafted DNS 'answers' from 127.0.0.9:53: compression loop, truncated record, 65535 counts, CNAME loop
    (each malformed), and 65535 questions (ignored)."""
    def hdr(qd, an, ns, ar):
        return struct.pack('!HHHHHH', 0x4242, 0x8180, qd, an, ns, ar)

    def name(*labels):
        return b''.join(bytes([len(l)]) + l.encode() for l in labels) + b'\x00'

    q = name('evil', 'test') + struct.pack('!HH', 1, 1)
    a_rr = struct.pack('!HHIH', 1, 1, 60, 4)
    loop = hdr(1, 1, 0, 0) + b'\xc0\x0c' + struct.pack('!HH', 1, 1) + b'\xc0\x0c' + a_rr + bytes([127, 0, 0, 9])
    truncated = hdr(1, 1, 0, 0) + q + b'\xc0\x0c' + a_rr + bytes([127, 0])
    # One question (so it is read as an answer), 65535 of each record kind, a 6-byte body: malformed.
    counts = hdr(1, 65535, 65535, 65535) + q[:6]
    # 65535 questions: not a plain answer at all, ignored without being read (not counted malformed).
    questions = hdr(65535, 65535, 65535, 65535) + q[:6]
    cname = hdr(1, 16, 0, 0) + name('n0', 'test') + struct.pack('!HH', 1, 1)
    for i in range(16):
        target = name('n%d' % ((i + 1) % 16), 'test')
        cname += name('n%d' % i, 'test') + struct.pack('!HHIH', 5, 1, 60, len(target)) + target
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.9', 53))
    for _ in range(int(rounds)):
        for m in (loop, truncated, counts, cname, questions):
            s.sendto(m, ('127.0.0.1', int(target_port)))
        time.sleep(0.004)
    print('sent', 5 * int(rounds), flush=True)


if __name__ == '__main__':
    globals()[sys.argv[1]](*sys.argv[2:])
