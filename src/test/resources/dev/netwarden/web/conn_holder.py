# A test program for the browser tests (WebUiIT): makes one TCP connection and keeps it, or makes
# traffic for a while. Names are resolved by a DNS query of its own to 127.0.0.1:53 (dnsmasq in the
# test namespace), not through the C library, so that any name dnsmasq serves can be used, even one
# that is not a valid host name.
#
#   conn_holder.py hold NAME_OR_ADDRESS PORT SECONDS     prints "connected LOCALPORT", then "closed"
#                                                        when the peer or a kill ends the connection
#   conn_holder.py traffic NAME_OR_ADDRESS PORT SECONDS  GET / in a loop, prints "done N"
import socket
import struct
import sys
import time


def resolve(name):
    try:
        socket.inet_aton(name)
        return name
    except OSError:
        pass
    query = struct.pack('>HHHHHH', 0x4e57, 0x0100, 1, 0, 0, 0)
    for label in name.split('.'):
        b = label.encode()
        query += bytes([len(b)]) + b
    query += b'\x00' + struct.pack('>HH', 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(query, ('127.0.0.1', 53))
    answer, _ = s.recvfrom(1500)
    if struct.unpack('>H', answer[6:8])[0] == 0:
        raise SystemExit('no answer for ' + name)
    return socket.inet_ntoa(answer[-4:])


def main():
    mode, name, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    address = resolve(name)
    deadline = time.monotonic() + seconds
    if mode == 'hold':
        c = socket.create_connection((address, port), timeout=10)
        print('connected', c.getsockname()[1], flush=True)
        c.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            c.sendall(b'GET /slow HTTP/1.1\r\nHost: x\r\n')  # an unfinished request: the server waits
            while c.recv(4096):
                pass
            print('closed', flush=True)
        except socket.timeout:
            print('timeout', flush=True)
        except OSError as e:
            print('closed', e, flush=True)
    else:
        n = 0
        while time.monotonic() < deadline:
            with socket.create_connection((address, port), timeout=10) as c:
                c.sendall(b'GET /big HTTP/1.0\r\nHost: x\r\n\r\n')
                while c.recv(65536):
                    pass
            n += 1
            time.sleep(0.2)
        print('done', n, flush=True)


main()
