package dev.netwarden.dns;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.flow.DomainLookup;
import dev.netwarden.packet.Fragment;
import dev.netwarden.packet.IpPacket;
import dev.netwarden.packet.MalformedPacketException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sniffer's whole path with the socket taken away: packets -> IpPacket -> (UDP) AnswerFeed or
 * (TCP) TcpDnsStream -> DnsAnswers -> DomainCache. Property: nothing throws, the cache never holds
 * more than its capacity, the reassembler never more flows than its bound. Each input is up to 32
 * packets; most are the fuzzer's bytes wrapped in a valid IPv4 header from port 53 (so the DNS code
 * is reached), some are raw.
 */
class DnsPathFuzzTest {
    private static final int CAPACITY = 8;
    private static final int FLOWS = 4;

    @FuzzTest(maxDuration = "30s")
    void cacheStaysBounded(FuzzedDataProvider data) {
        DomainCache cache = new DomainCache(CAPACITY, Duration.ofMinutes(1), DomainLookup.NONE);
        AnswerFeed feed = new AnswerFeed(cache);
        TcpDnsStream tcp = new TcpDnsStream(FLOWS, Duration.ofSeconds(30), TcpDnsStream.MAX_MESSAGE_BYTES,
                feed::message);
        long now = 0;
        for (int i = 0; i < 32 && data.remainingBytes() > 0; i++) {
            int kind = data.consumeInt(0, 3);
            byte[] packet = switch (kind) {
                case 0 -> data.consumeBytes(data.consumeInt(0, 2048));
                case 1 -> wrap(IpPacket.UDP, data.consumeInt(0, 3), 0, data.consumeBytes(data.consumeInt(0, 2048)));
                default -> wrap(IpPacket.TCP, data.consumeInt(0, 3), data.consumeInt(),
                        data.consumeBytes(data.consumeInt(0, 2048)));
            };
            now += data.consumeLong(0, 60_000_000_000L);
            IpPacket p;
            try {
                p = IpPacket.parse(packet, 0, packet.length);
            } catch (MalformedPacketException expected) {
                continue;
            }
            if (p.protocol() == IpPacket.UDP && p.fragment() == Fragment.NONE) {
                feed.message(packet, p.payloadOffset(), p.payloadLength());
            } else if (p.protocol() == IpPacket.TCP) {
                tcp.segment(p, packet, 0, now);
            }
            assertThat(cache.stats().entries()).isLessThanOrEqualTo(CAPACITY);
            assertThat(tcp.stats().flows()).isLessThanOrEqualTo(FLOWS);
        }
    }

    /** An IPv4 packet from 10.0.0.1:53 to 10.0.0.2:(40000 + client) carrying {@code payload}. */
    static byte[] wrap(int protocol, int client, int sequence, byte[] payload) {
        int transport = protocol == IpPacket.TCP ? 20 : 8;
        int total = Math.min(65535, 20 + transport + payload.length);
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = (byte) protocol;
        p[12] = 10;
        p[15] = 1;
        p[16] = 10;
        p[19] = 2;
        p[21] = 53;
        int port = 40000 + client;
        p[22] = (byte) (port >>> 8);
        p[23] = (byte) port;
        if (protocol == IpPacket.TCP) {
            p[24] = (byte) (sequence >>> 24);
            p[25] = (byte) (sequence >>> 16);
            p[26] = (byte) (sequence >>> 8);
            p[27] = (byte) sequence;
            p[32] = 0x50;
            p[33] = (byte) (IpPacket.TCP_ACK | (sequence & 0x07)); // sometimes FIN, SYN, RST
        } else {
            int udp = total - 20;
            p[24] = (byte) (udp >>> 8);
            p[25] = (byte) udp;
        }
        System.arraycopy(payload, 0, p, 20 + transport, total - 20 - transport);
        return p;
    }
}
