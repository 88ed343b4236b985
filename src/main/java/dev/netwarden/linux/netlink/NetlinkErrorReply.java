package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * The payload of an {@code NLMSG_ERROR} reply ({@code struct nlmsgerr}): a negative errno (0 = ACK),
 * the echoed request (only its header when {@code NLM_F_CAPPED}), then, with {@code NLM_F_ACK_TLVS},
 * extended-ack attributes of which {@code NLMSGERR_ATTR_MSG} is a NUL-terminated text.
 *
 * @param errno         positive errno, 0 for an ACK
 * @param extAckMessage the kernel's explanation, or null
 */
public record NetlinkErrorReply(int errno, String extAckMessage) {
    public static final int NLMSGERR_ATTR_MSG = 1;

    /** Parses the payload of the current message of {@code message}, which must be NLMSG_ERROR. */
    public static NetlinkErrorReply parse(NetlinkMessageCursor message) {
        return parse(message.segment(), message.payloadOffset(), message.payloadLength(), message.flags());
    }

    /**
     * Parses an nlmsgerr payload at {@code offset}.
     *
     * @throws MalformedNetlinkException if the payload is shorter than the errno and echoed header,
     *                                   or its attributes are malformed
     */
    public static NetlinkErrorReply parse(MemorySegment seg, long offset, int length, int flags) {
        if (length < 4 + NetlinkHeader.LENGTH) {
            throw new MalformedNetlinkException("NLMSG_ERROR payload of " + length + " bytes, need " + (4 + NetlinkHeader.LENGTH));
        }
        int error = seg.get(U32, offset);
        int errno = error == Integer.MIN_VALUE ? Integer.MAX_VALUE : -error;
        String msg = null;
        if ((flags & NetlinkHeader.NLM_F_ACK_TLVS) != 0) {
            long echoed;
            if ((flags & NetlinkHeader.NLM_F_CAPPED) != 0) {
                echoed = NetlinkHeader.LENGTH;
            } else {
                echoed = NetlinkLayouts.align4(Integer.toUnsignedLong(seg.get(U32, offset + 4)));
                if (echoed < NetlinkHeader.LENGTH || echoed > length - 4) {
                    throw new MalformedNetlinkException("echoed request length " + echoed + " does not fit NLMSG_ERROR payload of " + length);
                }
            }
            msg = extAckMessage(seg, offset + 4 + echoed, length - 4 - echoed);
        }
        return new NetlinkErrorReply(errno, msg);
    }

    /** Finds NLMSGERR_ATTR_MSG in extended-ack attributes; null when absent. */
    static String extAckMessage(MemorySegment seg, long offset, long length) {
        NetlinkAttributeCursor attrs = new NetlinkAttributeCursor(seg, offset, length);
        while (attrs.next()) {
            if (attrs.type() == NLMSGERR_ATTR_MSG) {
                return cString(seg, attrs.valueOffset(), attrs.valueLength());
            }
        }
        return null;
    }

    private static String cString(MemorySegment seg, long offset, int max) {
        int n = 0;
        while (n < max && seg.get(NetlinkLayouts.U8, offset + n) != 0) {
            n++;
        }
        byte[] bytes = seg.asSlice(offset, n).toArray(NetlinkLayouts.U8);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The error of an {@code NLMSG_DONE} payload: dumps may end with a negative errno (and ext-ack
     * attributes after it) instead of 0. Returns null when the dump ended cleanly.
     */
    public static NetlinkErrorReply parseDone(NetlinkMessageCursor message) {
        int len = message.payloadLength();
        if (len < 4) {
            return null;
        }
        MemorySegment seg = message.segment();
        int error = seg.get(U32, message.payloadOffset());
        if (error >= 0) {
            return null;
        }
        String msg = null;
        if ((message.flags() & NetlinkHeader.NLM_F_ACK_TLVS) != 0) {
            msg = extAckMessage(seg, message.payloadOffset() + 4, len - 4);
        }
        return new NetlinkErrorReply(error == Integer.MIN_VALUE ? Integer.MAX_VALUE : -error, msg);
    }
}
