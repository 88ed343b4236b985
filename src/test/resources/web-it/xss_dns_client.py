# Resolves a hostile name through a one-shot DNS server of its own (so the daemon's DNS sniffer sees
# the answer), then connects to the address it got: the connection the daemon sees carries that name.
import socket, sys, threading

NAME = "<img src=x onerror=alert(1)>.example"
SERVER = ("127.0.0.53", 53)
ADDRESS = "127.0.0.2"
PORT = int(sys.argv[1])

srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(SERVER)

def serve():
    data, peer = srv.recvfrom(512)
    i = 12
    while data[i] != 0:
        i += data[i] + 1
    question = data[12:i + 5]
    answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + socket.inet_aton(ADDRESS)
    srv.sendto(data[:2] + b"\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question + answer, peer)

threading.Thread(target=serve, daemon=True).start()
qname = b"".join(bytes([len(label)]) + label.encode() for label in NAME.split(".")) + b"\x00"
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(20)
client.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + qname + b"\x00\x01\x00\x01", SERVER)
client.recvfrom(512)
print("resolved", flush=True)
try:
    s = socket.create_connection((ADDRESS, PORT), timeout=50)
    s.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
    print(s.recv(12).decode(), flush=True)
except OSError as e:
    refused = (ConnectionRefusedError, ConnectionAbortedError, ConnectionResetError)
    print("refused" if isinstance(e, refused) else "error " + str(e), flush=True)
