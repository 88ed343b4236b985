package dev.netwarden.linux.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetlinkErrorReplyTest {
    private static NetlinkMessageCursor first(byte[] b) {
        NetlinkMessageCursor c = new NetlinkMessageCursor(MemorySegment.ofArray(b), 0, b.length);
        assertThat(c.next()).isTrue();
        return c;
    }

    @Test
    void ackIsErrnoZero() {
        byte[] b = new NetlinkBytes().header(36, NetlinkHeader.NLMSG_ERROR, NetlinkHeader.NLM_F_CAPPED, 1, 9)
                .i32(0).header(72, 20, 1, 1, 0).toArray();
        assertThat(NetlinkErrorReply.parse(first(b))).isEqualTo(new NetlinkErrorReply(0, null));
    }

    @Test
    void errorWithExtendedAckMessage() {
        byte[] text = "bad family\0".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new NetlinkBytes()
                .header(16 + 4 + 16 + 4 + 12, NetlinkHeader.NLMSG_ERROR, NetlinkHeader.NLM_F_CAPPED | NetlinkHeader.NLM_F_ACK_TLVS, 1, 9)
                .i32(-22).header(72, 20, 1, 1, 0)
                .attr(4 + text.length, NetlinkErrorReply.NLMSGERR_ATTR_MSG, text).pad().toArray();
        NetlinkErrorReply r = NetlinkErrorReply.parse(first(b));
        assertThat(r.errno()).isEqualTo(22);
        assertThat(r.extAckMessage()).isEqualTo("bad family");
    }

    @Test
    void errorEchoingTheWholeRequestThenTlvs() {
        byte[] text = "no\0".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new NetlinkBytes()
                .header(16 + 4 + 20 + 8, NetlinkHeader.NLMSG_ERROR, NetlinkHeader.NLM_F_ACK_TLVS, 1, 9)
                .i32(-2).header(20, 20, 1, 1, 0).i32(0)
                .attr(4 + text.length, NetlinkErrorReply.NLMSGERR_ATTR_MSG, text).pad().toArray();
        NetlinkErrorReply r = NetlinkErrorReply.parse(first(b));
        assertThat(r.errno()).isEqualTo(2);
        assertThat(r.extAckMessage()).isEqualTo("no");
    }

    @Test
    void shortErrorPayloadIsMalformed() {
        byte[] b = new NetlinkBytes().header(20, NetlinkHeader.NLMSG_ERROR, 0, 1, 9).i32(-1).toArray();
        assertThatThrownBy(() -> NetlinkErrorReply.parse(first(b))).isInstanceOf(MalformedNetlinkException.class);
    }

    @Test
    void echoedLengthPastThePayloadIsMalformed() {
        byte[] b = new NetlinkBytes().header(36, NetlinkHeader.NLMSG_ERROR, NetlinkHeader.NLM_F_ACK_TLVS, 1, 9)
                .i32(-1).header(500, 20, 1, 1, 0).toArray();
        assertThatThrownBy(() -> NetlinkErrorReply.parse(first(b))).isInstanceOf(MalformedNetlinkException.class);
    }

    @Test
    void doneWithErrorAndWithout() {
        byte[] ok = new NetlinkBytes().header(20, NetlinkHeader.NLMSG_DONE, NetlinkHeader.NLM_F_MULTI, 1, 9).i32(0).toArray();
        assertThat(NetlinkErrorReply.parseDone(first(ok))).isNull();
        byte[] bad = new NetlinkBytes().header(20, NetlinkHeader.NLMSG_DONE, NetlinkHeader.NLM_F_MULTI, 1, 9).i32(-16).toArray();
        assertThat(NetlinkErrorReply.parseDone(first(bad)).errno()).isEqualTo(16);
    }
}
