package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkAttributeCursor;
import dev.netwarden.linux.netlink.NetlinkHeader;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.BE32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Parses one {@code NFQNL_MSG_PACKET} netlink message (header included) into a {@link QueuedPacket}.
 *
 * <p>A pure function of the bytes: the same code reads the native receive buffer and a recorded
 * {@code byte[]}. Bad input — a message that is not a queued packet, a missing or short
 * {@code NFQA_PACKET_HDR}, a fixed-size attribute of the wrong size, malformed attributes — is a
 * {@link MalformedNetlinkException} naming what is wrong; nothing else is thrown and no partial
 * record is returned. Unknown attributes are skipped (newer kernels add some).
 *
 * <p>Allocation: the record and one {@code byte[]} for the payload; with a header-only copy range
 * that is ~200 bytes per packet. Instances hold a reusable attribute cursor, so one parser belongs
 * to one thread.
 */
public final class NfQueueMessageParser {
    private static final int PACKET_HDR_LENGTH = 7; // be32 packet_id, be16 hw_protocol, u8 hook
    private final NetlinkAttributeCursor attrs = new NetlinkAttributeCursor();
    private final NetlinkAttributeCursor nested = new NetlinkAttributeCursor();

    /** Parses the message at {@code [offset, offset + length)} of {@code seg}. */
    public QueuedPacket parse(MemorySegment seg, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > seg.byteSize()) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside segment of " + seg.byteSize());
        }
        if (length < NetlinkHeader.LENGTH + NfQueueProtocol.NFGENMSG_LENGTH) {
            throw new MalformedNetlinkException("nfqueue message of " + length + " bytes, need at least "
                    + (NetlinkHeader.LENGTH + NfQueueProtocol.NFGENMSG_LENGTH));
        }
        long declared = Integer.toUnsignedLong(seg.get(U32, offset + NetlinkHeader.OFFSET_LEN));
        if (declared < NetlinkHeader.LENGTH + NfQueueProtocol.NFGENMSG_LENGTH || declared > length) {
            throw new MalformedNetlinkException("nlmsg_len " + declared + " does not fit the " + length + "-byte nfqueue message");
        }
        int type = Short.toUnsignedInt(seg.get(U16, offset + NetlinkHeader.OFFSET_TYPE));
        if (type != NfQueueProtocol.TYPE_PACKET) {
            throw new MalformedNetlinkException("message type 0x" + Integer.toHexString(type) + " is not NFQNL_MSG_PACKET");
        }
        long nfgen = offset + NetlinkHeader.LENGTH;
        int family = Byte.toUnsignedInt(seg.get(U8, nfgen));
        int queueNumber = Short.toUnsignedInt(seg.get(BE16, nfgen + 2));

        boolean haveHeader = false;
        int packetId = 0;
        int hwProtocol = 0;
        int hook = 0;
        int inIf = 0;
        int outIf = 0;
        int uid = QueuedPacket.NO_ID;
        int gid = QueuedPacket.NO_ID;
        int mark = 0;
        int ctInfo = -1;
        long ctId = -1;
        int capLen = -1;
        long payloadOffset = 0;
        int payloadLength = 0;
        boolean havePayload = false;

        long attrStart = nfgen + NfQueueProtocol.NFGENMSG_LENGTH;
        attrs.reset(seg, attrStart, offset + declared - attrStart);
        while (attrs.next()) {
            long v = attrs.valueOffset();
            int len = attrs.valueLength();
            switch (attrs.type()) {
                case NfQueueProtocol.NFQA_PACKET_HDR -> {
                    if (len < PACKET_HDR_LENGTH) {
                        throw new MalformedNetlinkException("NFQA_PACKET_HDR of " + len + " bytes, need " + PACKET_HDR_LENGTH);
                    }
                    packetId = seg.get(BE32, v);
                    hwProtocol = Short.toUnsignedInt(seg.get(BE16, v + 4));
                    hook = Byte.toUnsignedInt(seg.get(U8, v + 6));
                    haveHeader = true;
                }
                case NfQueueProtocol.NFQA_MARK -> mark = be32(seg, v, len, "NFQA_MARK");
                case NfQueueProtocol.NFQA_IFINDEX_INDEV -> inIf = be32(seg, v, len, "NFQA_IFINDEX_INDEV");
                case NfQueueProtocol.NFQA_IFINDEX_OUTDEV -> outIf = be32(seg, v, len, "NFQA_IFINDEX_OUTDEV");
                case NfQueueProtocol.NFQA_UID -> uid = be32(seg, v, len, "NFQA_UID");
                case NfQueueProtocol.NFQA_GID -> gid = be32(seg, v, len, "NFQA_GID");
                case NfQueueProtocol.NFQA_CT_INFO -> ctInfo = be32(seg, v, len, "NFQA_CT_INFO");
                case NfQueueProtocol.NFQA_CAP_LEN -> capLen = be32(seg, v, len, "NFQA_CAP_LEN");
                case NfQueueProtocol.NFQA_CT -> ctId = conntrackId(seg, v, len);
                case NfQueueProtocol.NFQA_PAYLOAD -> {
                    payloadOffset = v;
                    payloadLength = len;
                    havePayload = true;
                }
                default -> {
                    // attributes we do not use (timestamp, hwaddr, skb info, vlan, l2 header, ...)
                }
            }
        }
        if (!haveHeader) {
            throw new MalformedNetlinkException("queued packet without NFQA_PACKET_HDR");
        }
        if (capLen < 0) {
            capLen = payloadLength;
        } else if (Integer.compareUnsigned(capLen, payloadLength) < 0) {
            throw new MalformedNetlinkException("NFQA_CAP_LEN " + Integer.toUnsignedString(capLen)
                    + " is shorter than the " + payloadLength + "-byte payload");
        }
        byte[] payload = havePayload ? seg.asSlice(payloadOffset, payloadLength).toArray(U8) : new byte[0];
        return new QueuedPacket(queueNumber, family, packetId, hwProtocol, hook, inIf, outIf, uid, gid, mark,
                ctInfo, ctId, capLen, payload);
    }

    /** Parses a whole {@code byte[]} holding one message. */
    public QueuedPacket parse(byte[] message) {
        return parse(MemorySegment.ofArray(message), 0, message.length);
    }

    private static int be32(MemorySegment seg, long v, int len, String name) {
        if (len != 4) {
            throw new MalformedNetlinkException(name + " of " + len + " bytes, expected 4");
        }
        return seg.get(BE32, v);
    }

    /** CTA_ID inside the nested conntrack attributes, or -1 when absent. */
    private long conntrackId(MemorySegment seg, long v, int len) {
        nested.reset(seg, v, len);
        long id = -1;
        while (nested.next()) {
            if (nested.type() == NfQueueProtocol.CTA_ID) {
                id = Integer.toUnsignedLong(be32(seg, nested.valueOffset(), nested.valueLength(), "CTA_ID"));
            }
        }
        return id;
    }
}
