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
}
