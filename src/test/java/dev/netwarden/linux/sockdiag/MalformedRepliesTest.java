package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.TcpInfo;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken variants of the recorded replies: each must raise MalformedNetlinkException and nothing else. */
class MalformedRepliesTest {
    private static final int HDR = 16;

    @Test
    void shortInetDiagMsgIsMalformed() {
        byte[] b = Fixtures.bytes("lookup-tcp4.bin");
        MemorySegment seg = MemorySegment.ofArray(b);
        assertThatThrownBy(() -> InetDiagParser.parseOne(seg, HDR, 40, Netid.TCP))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("inet_diag_msg");
    }

    @Test
    void unknownFamilyIsMalformed() {
        byte[] b = Fixtures.bytes("lookup-tcp4.bin");
        b[HDR] = 7;
        MemorySegment seg = MemorySegment.ofArray(b);
        assertThatThrownBy(() -> InetDiagParser.parseOne(seg, HDR, b.length - HDR, Netid.TCP))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("family");
    }

    @Test
    void attributeOverrunningTheMessageIsMalformed() {
        byte[] b = Fixtures.bytes("lookup-tcp4.bin");
        MemorySegment seg = MemorySegment.ofArray(b);
        seg.set(U16, HDR + InetDiagParser.MSG_LENGTH, (short) 4000);
        assertThatThrownBy(() -> InetDiagParser.parseOne(seg, HDR, b.length - HDR, Netid.TCP))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("exceeds");
    }

    @Test
    void truncatedMessageIsCaughtByTheMessageCursor() {
        byte[] b = Arrays.copyOf(Fixtures.bytes("tcp4.bin"), 300);
        var c = new dev.netwarden.linux.netlink.NetlinkMessageCursor(MemorySegment.ofArray(b), 0, b.length);
        assertThatThrownBy(() -> {
            while (c.next()) {
                // walk
            }
        }).isInstanceOf(MalformedNetlinkException.class);
    }

    @Test
    void unixMessageWithUnknownTypeOrShortRqlenIsMalformed() {
        byte[] b = Fixtures.bytes("unix.bin");
        byte[] badType = b.clone();
        badType[HDR + 1] = 3; // SOCK_RAW is not a UNIX type
        assertThatThrownBy(() -> UnixDiagParser.parse(MemorySegment.ofArray(badType), HDR, 16))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> UnixDiagParser.parse(MemorySegment.ofArray(b), HDR, 10))
                .isInstanceOf(MalformedNetlinkException.class);
        byte[] shortRqlen = new byte[16 + 8];
        shortRqlen[0] = 1;
        shortRqlen[1] = 1;
        MemorySegment seg = MemorySegment.ofArray(shortRqlen);
        seg.set(U16, 16, (short) 8);
        seg.set(U16, 18, (short) UnixDiagParser.UNIX_DIAG_RQLEN);
        assertThatThrownBy(() -> UnixDiagParser.parse(seg, 0, shortRqlen.length))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("RQLEN");
    }

    @Test
    void shortTcpInfoFromAnOlderKernelLeavesLaterFieldsZero() {
        byte[] b = new byte[104];
        MemorySegment seg = MemorySegment.ofArray(b);
        b[0] = 1;
        seg.set(dev.netwarden.linux.netlink.NetlinkLayouts.U32, TcpInfoParser.RTT, 1234);
        seg.set(dev.netwarden.linux.netlink.NetlinkLayouts.U32, TcpInfoParser.TOTAL_RETRANS, 3);
        TcpInfo info = TcpInfoParser.parse(seg, 0, b.length);
        assertThat(info.state()).isEqualTo(1);
        assertThat(info.rttMicros()).isEqualTo(1234);
        assertThat(info.totalRetrans()).isEqualTo(3);
        assertThat(info.bytesAcked()).isZero();
        assertThat(info.segsIn()).isZero();
        assertThat(TcpInfoParser.parse(seg, 0, 0)).isEqualTo(new TcpInfo(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
