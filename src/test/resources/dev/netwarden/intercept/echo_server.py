# TCP and UDP echo server on PORT, IPv4 (0.0.0.0) and IPv6 ([::], v6only). Runs until killed,
# at most MAX_SECONDS. Prints "ready" once every socket listens.
import socket, sys, threading, time

port = int(sys.argv[1])
MAX_SECONDS = 300

def tcp_conn(c):
    with c:
        while True:
            d = c.recv(4096)
            if not d:
                return
            c.sendall(d)

def tcp(fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.listen(512)
    return s

def tcp_serve(s):
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_conn, args=(c,), daemon=True).start()

def udp(fam, addr):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    return s

def udp_serve(s):
    while True:
        d, a = s.recvfrom(4096)
        s.sendto(d, a)

socks = [(tcp_serve, tcp(socket.AF_INET, "0.0.0.0")), (tcp_serve, tcp(socket.AF_INET6, "::")),
         (udp_serve, udp(socket.AF_INET, "0.0.0.0")), (udp_serve, udp(socket.AF_INET6, "::"))]
for fn, s in socks:
    threading.Thread(target=fn, args=(s,), daemon=True).start()
print("ready", flush=True)
time.sleep(MAX_SECONDS)
