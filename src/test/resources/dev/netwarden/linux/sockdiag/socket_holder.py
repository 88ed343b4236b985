# Test support for the sock_diag tests: run inside a throw-away network namespace, it opens a known set
# of sockets, prints "key=value" lines and "ready", then waits until stdin closes or the alarm fires.
# argv: UNIX_PATH ABSTRACT_NAME MAX_SECONDS
import os
import signal
import socket
import sys

signal.alarm(int(sys.argv[3]))
path, abstract = sys.argv[1], sys.argv[2]

l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l4.bind(("127.0.0.1", 7001))
l4.listen(17)
client = socket.create_connection(("127.0.0.1", 7001))
server, _ = l4.accept()
client.sendall(b"hello")          # 5 unread bytes in the accepted socket's receive queue
pending = socket.create_connection(("127.0.0.1", 7001))  # left in the accept queue

l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
l6.bind(("::1", 7002))
l6.listen(5)

u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4.bind(("127.0.0.1", 7003))
os.seteuid(65534)                 # this socket's uid is the creator's: 65534
u_nobody = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
os.seteuid(0)
u_nobody.bind(("127.0.0.1", 7004))

ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
ux.bind(path)
ux.listen(3)
ua = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
ua.bind("\0" + abstract)
ua.listen(4)
ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

print("pid=%d" % os.getpid())
print("client_port=%d" % client.getsockname()[1])
print("pending_port=%d" % pending.getsockname()[1])
print("ready", flush=True)
sys.stdin.read()
