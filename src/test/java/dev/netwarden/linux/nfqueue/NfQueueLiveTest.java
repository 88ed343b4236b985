package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.NetlinkException;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * NfQueue against the kernel in a test namespace: raw messages parse, carry uid/gid, conntrack state
 * and the copy range; a second socket cannot steal a bound queue. With
 * {@code -Dnw.nfqueue.record=DIR} it also writes the raw messages as parser fixtures.
 */
class NfQueueLiveTest {
    private static final int QUEUE = 9;

    @Test
    void receivesRealPacketsAndAnswersThem() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root for network namespaces and iptables");
        try (TestNamespace ns = TestNamespace.create("nfq-live")) {
            ns.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-m", "conntrack", "--ctstate", "NEW", "-j", "NFQUEUE", "--queue-num", "" + QUEUE);
            ns.exec(10, "ip6tables", "-t", "mangle", "-A", "OUTPUT", "-m", "conntrack", "--ctstate", "NEW", "-j", "NFQUEUE", "--queue-num", "" + QUEUE);
            NfQueueConfig config = new NfQueueConfig(QUEUE, 96, 128, false, false, 0, 1 << 20);
            try (NfQueue queue = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> NfQueue.open(config, 100))) {
                assertThatThrownBy(() -> NetNamespace.callIn(NetNamespace.named(ns.name()), () -> NfQueue.open(config, 100)))
                        .as("a bound queue cannot be taken by another socket").isInstanceOf(NetlinkException.class);

                // TCP SYN to a closed port (RST comes back, connect fails: fine), a UDP datagram over
                // IPv6 with a 200-byte payload (cut to 96 bytes), an ICMP echo request
                Process traffic = new ProcessBuilder(ns.inside(List.of("python3", "-c", """
                        import socket
                        s = socket.socket(); s.settimeout(2)
                        try: s.connect(("127.0.0.1", 9))
                        except OSError: pass
                        u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.sendto(b"d" * 200, ("::1", 5353))
                        icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
                        icmp.sendto(bytes([8, 0, 0xF7, 0xFE, 0, 1, 0, 0]), ("127.0.0.1", 0))
                        """))).start();
                List<byte[]> raw = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && (raw.size() < 3 || traffic.isAlive())) {
                    queue.receive((MemorySegment buf, long off, int len) -> raw.add(buf.asSlice(off, len).toArray(U8)), 64);
                    NfQueueMessageParser parser = new NfQueueMessageParser();
                    for (byte[] m : raw.subList(answered, raw.size())) {
                        queue.addVerdict(parser.parse(m).packetId(), Verdict.ACCEPT);
                    }
                    answered = raw.size();
                    queue.flushVerdicts();
                }
                traffic.waitFor(5, TimeUnit.SECONDS);
                NfQueueMessageParser parser = new NfQueueMessageParser();
                List<QueuedPacket> packets = raw.stream().map(parser::parse).toList();
                QueuedPacket syn = packets.stream().filter(p -> p.family() == 2 && p.payload()[9] == 6).findFirst().orElseThrow();
                QueuedPacket udp6 = packets.stream().filter(p -> p.family() == 10 && p.payload()[6] == 17).findFirst().orElseThrow();
                QueuedPacket ping = packets.stream().filter(p -> p.family() == 2 && p.payload()[9] == 1).findFirst().orElseThrow();
                for (QueuedPacket p : packets) {
                    assertThat(p.queueNumber()).isEqualTo(QUEUE);
                    assertThat(p.hook()).isEqualTo(QueuedPacket.HOOK_OUTPUT);
                    assertThat(p.outIfindex()).isEqualTo(1); // lo
                    assertThat(p.ctInfo()).as("not asked for").isEqualTo(-1);
                    assertThat(p.ctId()).isEqualTo(-1);
                }
                assertThat(syn.uid()).isZero();
                assertThat(syn.gid()).isZero();
                assertThat(syn.hwProtocol()).isEqualTo(0x0800);
                assertThat(udp6.hwProtocol()).isEqualTo(0x86DD);
                assertThat(udp6.payload()).hasSize(96);
                assertThat(udp6.packetLength()).isEqualTo(40 + 8 + 200);
                assertThat(udp6.isComplete()).isFalse();
                assertThat(ping.payload()[20]).as("ICMP echo request").isEqualTo((byte) 8);
                assertThat(queue.verdictErrors()).isZero();

                String dir = System.getProperty("nw.nfqueue.record");
                if (dir != null) {
                    Files.write(Path.of(dir, "tcp4-syn-output.bin"), raw.get(packets.indexOf(syn)));
                    Files.write(Path.of(dir, "udp6-cut-output.bin"), raw.get(packets.indexOf(udp6)));
                    Files.write(Path.of(dir, "icmp4-echo-output.bin"), raw.get(packets.indexOf(ping)));
                }
            }
        }
    }

    private int answered;

    /**
     * Mixed verdicts in one flush reach the kernel as runs (two batches, three plain verdicts): each
     * queued datagram gets exactly its own verdict, none is accepted by a neighbour's batch.
     */
    @Test
    void runsOfEqualVerdictsInOneFlushDecideExactlyTheirOwnPackets() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root for network namespaces and iptables");
        try (TestNamespace ns = TestNamespace.create("nfq-runs")) {
            ns.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "--dport", "9001:9008", "-m", "conntrack",
                    "--ctstate", "NEW", "-j", "NFQUEUE", "--queue-num", "" + QUEUE);
            NfQueueConfig config = new NfQueueConfig(QUEUE, 96, 128, false, false, 0, 1 << 20);
            try (NfQueue queue = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> NfQueue.open(config, 100))) {
                Process receiver = ns.start("python3", "-u", "-c", """
                        import select, socket
                        socks = []
                        for port in range(9001, 9009):
                            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", port)); socks.append(s)
                        print("ready")
                        while True:
                            ready, _, _ = select.select(socks, [], [], 3)
                            if not ready: break
                            for s in ready:
                                s.recv(100); print(s.getsockname()[1])
                        print("done")""");
                java.io.BufferedReader received = new java.io.BufferedReader(new java.io.InputStreamReader(receiver.getInputStream()));
                assertThat(received.readLine()).isEqualTo("ready");
                ns.exec(10, "python3", "-c", """
                        import socket
                        for port in range(9001, 9009):
                            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", port))""");

                NfQueueMessageParser parser = new NfQueueMessageParser();
                List<QueuedPacket> packets = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (packets.size() < 8 && System.nanoTime() < deadline) {
                    queue.receive((MemorySegment buf, long off, int len) -> packets.add(parser.parse(buf.asSlice(off, len).toArray(U8))), 64);
                }
                assertThat(packets).as("all eight held in the kernel's queue, none answered yet").hasSize(8);
                List<Integer> accept = List.of(9001, 9002, 9006, 9008);
                for (QueuedPacket p : packets) {
                    int ihl = (p.payload()[0] & 0x0F) * 4;
                    int port = ((p.payload()[ihl + 2] & 0xFF) << 8) | (p.payload()[ihl + 3] & 0xFF);
                    queue.addVerdict(p.packetId(), accept.contains(port) ? Verdict.ACCEPT : Verdict.DROP);
                }
                queue.flushVerdicts();

                List<Integer> ports = new ArrayList<>();
                for (String line; (line = received.readLine()) != null && !line.equals("done"); ) {
                    ports.add(Integer.parseInt(line));
                }
                assertThat(ports).containsExactlyInAnyOrderElementsOf(accept);
                queue.receive((MemorySegment buf, long off, int len) -> { }, 64); // reads any error the kernel sent back
                assertThat(queue.verdictErrors()).as("no verdict named a packet that was gone").isZero();
            }
        }
    }
}
