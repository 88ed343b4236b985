package dev.netwarden.linux.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: the cursors either walk the bytes or raise MalformedNetlinkException, never loop (each
 * step must advance) and never point outside the range.
 */
class NetlinkFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void messages(byte[] data) {
        MemorySegment seg = MemorySegment.ofArray(data);
        NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, data.length);
        long last = -1;
        try {
            while (c.next()) {
                assertThat(c.offset()).isGreaterThan(last);
                assertThat(c.offset() + c.length()).isLessThanOrEqualTo(data.length);
                last = c.offset();
                if (c.type() == NetlinkHeader.NLMSG_ERROR) {
                    NetlinkErrorReply.parse(c);
                } else if (c.type() == NetlinkHeader.NLMSG_DONE) {
                    NetlinkErrorReply.parseDone(c);
                }
            }
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }

    @FuzzTest(maxDuration = "30s")
    void attributes(byte[] data) {
        MemorySegment seg = MemorySegment.ofArray(data);
        NetlinkAttributeCursor c = new NetlinkAttributeCursor(seg, 0, data.length);
        long last = -1;
        try {
            while (c.next()) {
                assertThat(c.valueOffset()).isGreaterThan(last);
                assertThat(c.valueOffset() + c.valueLength()).isLessThanOrEqualTo(data.length);
                assertThat(c.type()).isBetween(0, 0x3FFF);
                last = c.valueOffset();
            }
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }
}
