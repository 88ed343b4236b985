#!/usr/bin/env python3
"""Test peer for the monitor's live tests. Prints one line per milestone, flushed, so the test can
follow along. Every mode is bounded in time (socket timeouts, fixed sleeps).

  tcp-server HOST PORT REPLY_BYTES    listen, accept one, read to EOF, send REPLY_BYTES, close
  tcp-client HOST PORT SEND_BYTES HOLD connect, hold HOLD s, send, shut down writing, read to EOF
  udp-server HOST PORT                bind, wait for one datagram (max 20 s), hold 1.5 s
  udp-client HOST PORT HOLD           connect a UDP socket, send one datagram, hold HOLD s
  tcp-flash HOST PORT                 connect and close at once (a connection shorter than a poll)
  tcp-flash-stay HOST PORT            the same, then stay alive until stdin closes
"""
import socket, sys, time


def family(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET


def say(*words):
    print(*words, flush=True)


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == 'tcp-server':
        reply = int(sys.argv[4])
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen(4)
        s.settimeout(30)
        say('listening')
        c, _ = s.accept()
        c.settimeout(30)
        got = 0
        while True:
            b = c.recv(1 << 16)
            if not b:
                break
            got += len(b)
        say('received', got)
        c.sendall(b'r' * reply)
        c.close()
        s.close()
        say('done')
    elif mode == 'tcp-client':
        send, hold = int(sys.argv[4]), float(sys.argv[5])
        c = socket.create_connection((host, port), timeout=30)
        say('connected', c.getsockname()[1])
        time.sleep(hold)
        c.sendall(b's' * send)
        c.shutdown(socket.SHUT_WR)
        got = 0
        while True:
            b = c.recv(1 << 16)
            if not b:
                break
            got += len(b)
        say('received', got)
        time.sleep(hold)
        c.close()
        say('done')
    elif mode == 'udp-server':
        s = socket.socket(family(host), socket.SOCK_DGRAM)
        s.bind((host, port))
        s.settimeout(20)
        say('bound')
        data, peer = s.recvfrom(2048)
        say('received', len(data))
        time.sleep(1.5)
        s.close()
    elif mode == 'udp-client':
        hold = float(sys.argv[4])
        c = socket.socket(family(host), socket.SOCK_DGRAM)
        c.connect((host, port))
        c.send(b'hello')
        say('sent', c.getsockname()[1])
        time.sleep(hold)
        c.close()
        say('done')
    elif mode in ('tcp-flash', 'tcp-flash-stay'):
        c = socket.create_connection((host, port), timeout=10)
        say('connected', c.getsockname()[1])
        c.close()
        say('done')
        if mode == 'tcp-flash-stay':
            sys.stdin.read()
    else:
        raise SystemExit('unknown mode ' + mode)


main()
