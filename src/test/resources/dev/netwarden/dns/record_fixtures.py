#!/usr/bin/env python3
"""Records the DNS fixtures of dev.netwarden.dns and dev.netwarden.packet tests.

Run inside a throw-away network namespace where dnsmasq serves the names of dnsmasq_args() on
127.0.0.1 and ::1 (record_fixtures.sh sets that up and cleans it away). It captures what an AF_PACKET
SOCK_DGRAM socket receives (packets from the IP header on, as netwarden's sniffer sees them) while
it asks over UDP/IPv4, UDP/IPv6 and TCP, and writes:
  DNS/<name>.bin      the DNS message of each answer (the UDP payload, or the TCP message
                      without its 2-byte length)
  PACKET/<name>.bin   whole IP packets (answers over UDP v4/v6, the TCP answer segment, a TCP SYN)
Usage: record_fixtures.py DNS_DIR PACKET_DIR
"""
import os, random, socket, struct, sys, time

def query(name, qtype):
    qid = random.randrange(65536)
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack("!HH", qtype, 1)

def udp(server, family, name, qtype):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(query(name, qtype), (server, 53))
    data, _ = s.recvfrom(65535)
    s.close()
    return data

def tcp(server, name, qtype):
    s = socket.create_connection((server, 53), timeout=3)
    q = query(name, qtype)
    s.sendall(struct.pack("!H", len(q)) + q)
    n = struct.unpack("!H", s.recv(2, socket.MSG_WAITALL))[0]
    data = s.recv(n, socket.MSG_WAITALL)
    s.close()
    return data

def main(dns_dir, packet_dir):
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
    cap.setsockopt(263, 23, 1)  # PACKET_IGNORE_OUTGOING: one copy of each loopback packet
    cap.settimeout(0.2)
    msgs = {
        "a_testsite": udp("127.0.0.1", socket.AF_INET, "testsite.test", 1),
        "aaaa_testsite_v6": udp("::1", socket.AF_INET6, "testsite.test", 28),
        "cname_www_a": udp("127.0.0.1", socket.AF_INET, "www.testsite.test", 1),
        "cname_www_aaaa": udp("127.0.0.1", socket.AF_INET, "www.testsite.test", 28),
        "chain_long": udp("127.0.0.1", socket.AF_INET, "c1.chain.test", 1),
        "multi_a": udp("127.0.0.1", socket.AF_INET, "multi.test", 1),
        "nxdomain": udp("127.0.0.1", socket.AF_INET, "nothere.test", 1),
        "mixed_case": udp("127.0.0.1", socket.AF_INET, "WwW.TestSite.TEST", 1),
        "tcp_testsite": tcp("127.0.0.1", "testsite.test", 1),
    }
    for k, v in msgs.items():
        open(os.path.join(dns_dir, k + ".bin"), "wb").write(v)
    packets = []
    end = time.time() + 1
    while time.time() < end:
        try:
            packets.append(cap.recv(65535))
        except socket.timeout:
            break
    wanted = {}
    for p in packets:
        v = p[0] >> 4
        if v == 4:
            ihl = (p[0] & 15) * 4
            proto, l4 = p[9], p[ihl:]
        else:
            proto, l4 = p[6], p[40:]
        sport, dport = struct.unpack("!HH", l4[:4])
        if v == 4 and proto == 17 and sport == 53 and "udp4_answer" not in wanted:
            wanted["udp4_answer"] = p
        elif v == 6 and proto == 17 and sport == 53:
            wanted["udp6_answer"] = p
        elif proto == 6 and dport == 53 and l4[13] == 0x02:
            wanted["tcp4_syn"] = p
        elif proto == 6 and sport == 53 and len(p) > ihl + (l4[12] >> 4) * 4:
            wanted["tcp4_answer"] = p
    for k, v in wanted.items():
        open(os.path.join(packet_dir, k + ".bin"), "wb").write(v)
    print("messages:", sorted(msgs), "packets:", sorted(wanted))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
