package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.NetlinkHeader;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * The verdicts collected for one send, and the netlink messages that carry them. Kept as numbers
 * (packet id, netfilter verdict, mark) and written only at {@link #write}, so the messages can be
 * chosen once the whole set is known:
 *
 * <ul>
 *   <li>Batching allowed and the ids in increasing order (the order the kernel queued them): each run
 *       of consecutive verdicts with the same verdict and mark becomes one NFQNL_MSG_VERDICT_BATCH up
 *       to the run's last id, a run of one a plain verdict. The kernel applies a batch verdict to every
 *       packet still queued up to that id in queue order; the runs go in order in one datagram, so
 *       each batch finds exactly its own run (the earlier runs' packets are gone, the later ones have
 *       higher ids). That holds only because the caller has received every packet up to the highest
 *       id (a packet the kernel could not deliver is never queued) and holds none back (see
 *       {@link NfQueue#batchVerdicts}).
 *   <li>Batching allowed, ids out of order (a verdict for a packet held earlier came after newer ones)
 *       but all verdicts the same: one batch up to the highest id, as before runs existed.
 *   <li>Otherwise one NFQNL_MSG_VERDICT per packet, in the order added.
 * </ul>
 *
 * Ids are u32 and wrap: "increasing" and "highest" compare by difference. Not thread-safe.
 */
final class PendingVerdicts {
    /** A verdict message with a mark: nlmsghdr, nfgenmsg, NFQA_VERDICT_HDR, NFQA_MARK. */
    static final int MAX_MESSAGE_BYTES = NetlinkHeader.LENGTH + NfQueueProtocol.NFGENMSG_LENGTH + 12 + 8;

    private final int[] ids;
    private final int[] verdicts;
    private final int[] marks;
    private int count;
    private boolean inOrder = true;
    private boolean uniform = true;
    private int maxId;
    private int messagesWritten;

    /** @param capacity most verdicts before {@link #isFull()} */
    PendingVerdicts(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        ids = new int[capacity];
        verdicts = new int[capacity];
        marks = new int[capacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == ids.length;
    }

    int size() {
        return count;
    }

    /** Adds a verdict ({@link NfQueueProtocol#NF_ACCEPT}/{@link NfQueueProtocol#NF_DROP}, mark 0 for none). */
    void add(int packetId, int nfVerdict, int mark) {
        if (isFull()) {
            throw new IllegalStateException("pending verdicts full (" + ids.length + ")");
        }
        if (count > 0) {
            if (packetId - maxId <= 0) { // ids grow and wrap: compare by difference
                inOrder = false;
            }
            if (nfVerdict != verdicts[0] || mark != marks[0]) {
                uniform = false;
            }
        }
        if (count == 0 || packetId - maxId > 0) {
            maxId = packetId;
        }
        ids[count] = packetId;
        verdicts[count] = nfVerdict;
        marks[count] = mark;
        count++;
    }

    /** Forgets every verdict (after they were sent, or could not be). */
    void clear() {
        count = 0;
        inOrder = true;
        uniform = true;
    }

    /** The worst case of {@link #write}: every verdict its own message with a mark. */
    long maxBytes() {
        return (long) count * MAX_MESSAGE_BYTES;
    }

    /** How many netlink messages the last {@link #write} wrote (each took a sequence number). */
    int messagesWritten() {
        return messagesWritten;
    }

    /**
     * Writes the messages for queue {@code queueNumber} from offset 0 of {@code buffer} (at least
     * {@link #maxBytes()} long), numbering them from {@code firstSeq}; returns the bytes written.
     *
     * @param batchAllowed false while any packet is held back: then every verdict is its own message
     */
    long write(MemorySegment buffer, int queueNumber, int firstSeq, boolean batchAllowed) {
        long at = 0;
        int seq = firstSeq;
        messagesWritten = 0;
        if (batchAllowed && inOrder) {
            for (int start = 0; start < count; ) {
                int end = start + 1;
                while (end < count && verdicts[end] == verdicts[start] && marks[end] == marks[start]) {
                    end++;
                }
                int type = end - start > 1 ? NfQueueProtocol.TYPE_VERDICT_BATCH : NfQueueProtocol.TYPE_VERDICT;
                at = message(buffer, at, queueNumber, seq++, type, verdicts[start], ids[end - 1], marks[start]);
                start = end;
            }
        } else if (batchAllowed && uniform && count > 1) {
            at = message(buffer, at, queueNumber, seq++, NfQueueProtocol.TYPE_VERDICT_BATCH, verdicts[0], maxId, marks[0]);
        } else {
            for (int i = 0; i < count; i++) {
                at = message(buffer, at, queueNumber, seq++, NfQueueProtocol.TYPE_VERDICT, verdicts[i], ids[i], marks[i]);
            }
        }
        messagesWritten = seq - firstSeq;
        return at;
    }

    /** One verdict (or verdict batch) message at {@code offset}; returns its end. */
    private static long message(MemorySegment msg, long offset, int queueNumber, int seq, int type, int nfVerdict,
                                int packetId, int mark) {
        long at = NfQueueMessages.startMessage(msg, offset, queueNumber, type, NetlinkHeader.NLM_F_REQUEST);
        long hdr = at;
        at = NfQueueMessages.attribute(msg, at, NfQueueProtocol.NFQA_VERDICT_HDR, 8);
        msg.set(BE32, hdr + 4, nfVerdict);
        msg.set(BE32, hdr + 8, packetId);
        if (mark != 0) {
            at = NfQueueMessages.be32Attribute(msg, at, NfQueueProtocol.NFQA_MARK, mark);
        }
        msg.set(U32, offset + NetlinkHeader.OFFSET_LEN, (int) (at - offset));
        msg.set(U32, offset + NetlinkHeader.OFFSET_SEQ, seq);
        return at;
    }
}
