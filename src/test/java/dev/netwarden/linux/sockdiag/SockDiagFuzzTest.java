package dev.netwarden.linux.sockdiag;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.TcpInfo;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any bytes either parse into a consistent row or raise MalformedNetlinkException; never
 * another exception or a hang. Seeds: the recorded kernel replies (SockDiagFuzzTestInputs/).
 */
class SockDiagFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void inetDiagReplies(byte[] data) {
        MemorySegment seg = MemorySegment.ofArray(data);
        InetDiagParser parser = new InetDiagParser();
        try {
            NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, data.length);
            while (c.next()) {
                SocketEntry e = parser.parse(seg, c.payloadOffset(), c.payloadLength(), Netid.TCP);
                assertThat(e.family()).isIn(SocketEntry.AF_INET, SocketEntry.AF_INET6);
                assertThat(e.local().port()).isBetween(0, 0xFFFF);
                assertThat(e.inode()).isBetween(0L, 0xFFFF_FFFFL);
            }
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }

    @FuzzTest(maxDuration = "30s")
    void destroyNotifications(byte[] data) {
        MemorySegment seg = MemorySegment.ofArray(data);
        try {
            SocketEntry e = new InetDiagParser().parseDestroyed(seg, 0, data.length);
            if (e != null) {
                assertThat(e.netid()).isIn(Netid.TCP, Netid.UDP);
                assertThat(e.family()).isIn(SocketEntry.AF_INET, SocketEntry.AF_INET6);
            }
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }

    @FuzzTest(maxDuration = "30s")
    void unixDiagReplies(byte[] data) {
        MemorySegment seg = MemorySegment.ofArray(data);
        try {
            NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, data.length);
            while (c.next()) {
                SocketEntry e = UnixDiagParser.parse(seg, c.payloadOffset(), c.payloadLength());
                assertThat(e.netid().isUnix()).isTrue();
                assertThat(e.unixPath()).isNotNull();
            }
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }

    @FuzzTest(maxDuration = "30s")
    void tcpInfo(byte[] data) {
        TcpInfo info = TcpInfoParser.parse(MemorySegment.ofArray(data), 0, data.length);
        assertThat(info.segsIn()).isBetween(0L, 0xFFFF_FFFFL);
        if (data.length == 0) {
            assertThat(info.state()).isZero();
        }
    }
}
