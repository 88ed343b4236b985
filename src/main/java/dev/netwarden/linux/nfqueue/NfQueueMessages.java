package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.NetlinkHeader;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.BE32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Writing nfnetlink_queue messages into a native buffer: the header every message starts with and its
 * attributes. Shared by the queue's configuration messages and {@link PendingVerdicts}.
 */
final class NfQueueMessages {
    private NfQueueMessages() {
    }

    /** Writes nlmsghdr (length and seq left for the caller) + nfgenmsg at {@code offset}; returns where attributes start. */
    static long startMessage(MemorySegment msg, long offset, int queueNumber, int type, int flags) {
        NetlinkHeader.write(msg, offset, 0, type, flags);
        msg.set(U8, offset + NetlinkHeader.LENGTH, (byte) 0);       // AF_UNSPEC
        msg.set(U8, offset + NetlinkHeader.LENGTH + 1, (byte) 0);   // NFNETLINK_V0
        msg.set(BE16, offset + NetlinkHeader.LENGTH + 2, (short) queueNumber);
        return offset + NetlinkHeader.LENGTH + NfQueueProtocol.NFGENMSG_LENGTH;
    }

    /** Writes an attribute header for a value of {@code valueLength}; returns the aligned end (value zeroed). */
    static long attribute(MemorySegment msg, long at, int type, int valueLength) {
        long end = at + 4 + ((valueLength + 3) & ~3);
        msg.asSlice(at, end - at).fill((byte) 0);
        msg.set(U16, at, (short) (4 + valueLength));
        msg.set(U16, at + 2, (short) type);
        return end;
    }

    static long be32Attribute(MemorySegment msg, long at, int type, int value) {
        long end = attribute(msg, at, type, 4);
        msg.set(BE32, at + 4, value);
        return end;
    }
}
