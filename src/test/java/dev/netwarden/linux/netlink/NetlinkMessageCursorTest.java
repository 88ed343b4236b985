package dev.netwarden.linux.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetlinkMessageCursorTest {
    private static NetlinkMessageCursor over(byte[] b) {
        return new NetlinkMessageCursor(MemorySegment.ofArray(b), 0, b.length);
    }

    @Test
    void walksMessagesAndExposesTheirHeaders() {
        byte[] b = new NetlinkBytes()
                .header(20, 20, NetlinkHeader.NLM_F_MULTI, 7, 1234).i32(42)
                .header(16, NetlinkHeader.NLMSG_DONE, NetlinkHeader.NLM_F_MULTI, 7, 1234)
                .toArray();
        NetlinkMessageCursor c = over(b);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(20);
        assertThat(c.flags()).isEqualTo(NetlinkHeader.NLM_F_MULTI);
        assertThat(c.seq()).isEqualTo(7);
        assertThat(c.portId()).isEqualTo(1234);
        assertThat(c.payloadLength()).isEqualTo(4);
        assertThat(c.segment().get(NetlinkLayouts.U32, c.payloadOffset())).isEqualTo(42);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(NetlinkHeader.NLMSG_DONE);
        assertThat(c.payloadLength()).isZero();
        assertThat(c.next()).isFalse();
    }

    @Test
    void acceptsAnUnpaddedLastMessageAndSkipsPaddingBetweenMessages() {
        byte[] b = new NetlinkBytes()
                .header(17, 20, 0, 1, 0).bytes((byte) 9).pad()
                .header(17, 21, 0, 1, 0).bytes((byte) 8)
                .toArray();
        NetlinkMessageCursor c = over(b);
        assertThat(c.next()).isTrue();
        assertThat(c.next()).isTrue();
        assertThat(c.offset()).isEqualTo(20);
        assertThat(c.type()).isEqualTo(21);
        assertThat(c.next()).isFalse();
    }

    @Test
    void emptyRangeHasNoMessages() {
        assertThat(over(new byte[0]).next()).isFalse();
    }

    @Test
    void truncatedHeaderIsMalformed() {
        byte[] b = new NetlinkBytes().header(16, 3, 0, 1, 0).toArray();
        byte[] cut = java.util.Arrays.copyOf(b, 10);
        assertThatThrownBy(() -> over(cut).next()).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("truncated");
    }

    @Test
    void zeroLengthIsMalformedNotAnEndlessLoop() {
        byte[] b = new NetlinkBytes().header(0, 20, 0, 1, 0).toArray();
        assertThatThrownBy(() -> over(b).next()).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("< 16");
    }

    @Test
    void lengthPastTheBufferIsMalformed() {
        byte[] b = new NetlinkBytes().header(4096, 20, 0, 1, 0).i32(0).toArray();
        assertThatThrownBy(() -> over(b).next()).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("exceeds");
    }

    @Test
    void hugeUnsignedLengthIsMalformed() {
        byte[] b = new NetlinkBytes().header(-1, 20, 0, 1, 0).toArray();
        assertThatThrownBy(() -> over(b).next()).isInstanceOf(MalformedNetlinkException.class);
    }

    @Test
    void accessorsBeforeNextFail() {
        assertThatThrownBy(() -> over(new byte[16]).type()).isInstanceOf(IllegalStateException.class);
    }
}
