package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.NetlinkHeader;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.BE32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;
import static dev.netwarden.linux.nfqueue.NfQueueProtocol.NF_ACCEPT;
import static dev.netwarden.linux.nfqueue.NfQueueProtocol.NF_DROP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verdict messages byte by byte, decoded here independently of the writer: which messages a set
 * of verdicts becomes (runs as batches, plain verdicts, the out-of-order fallbacks), and that every
 * header, nfgenmsg and attribute is where the kernel reads it.
 */
class PendingVerdictsTest {
    private static final int QUEUE = 0x1234;
    private static final int MARK = 0x0100_0000;
    private static final String BATCH = "batch";
    private static final String ONE = "verdict";

    /** One decoded message. */
    record Msg(String kind, int verdict, int id, int mark, int seq) {
        static Msg batch(int verdict, int id, int mark) {
            return new Msg(BATCH, verdict, id, mark, 0);
        }

        static Msg one(int verdict, int id, int mark) {
            return new Msg(ONE, verdict, id, mark, 0);
        }

        Msg withoutSeq() {
            return new Msg(kind, verdict, id, mark, 0);
        }
    }

    private final MemorySegment buffer = Arena.ofAuto().allocate(1 << 16, 8);
    private final PendingVerdicts pending = new PendingVerdicts(64);

    /** Decodes {@code length} bytes as the kernel would: netlink messages, nfgenmsg, attributes. */
    private static List<Msg> decode(MemorySegment b, long length) {
        List<Msg> out = new ArrayList<>();
        long at = 0;
        while (at < length) {
            int len = b.get(U32, at);
            assertThat(len).as("message length").isBetween(NetlinkHeader.LENGTH + 4, (int) (length - at));
            assertThat(len % 4).as("messages stay 4-byte aligned").isZero();
            int type = Short.toUnsignedInt(b.get(U16, at + 4));
            int flags = Short.toUnsignedInt(b.get(U16, at + 6));
            int seq = b.get(U32, at + 8);
            assertThat(b.get(U32, at + 12)).as("port id: the kernel").isZero();
            assertThat(flags).as("a request, no ack asked").isEqualTo(NetlinkHeader.NLM_F_REQUEST);
            assertThat(b.get(U8, at + 16)).as("family AF_UNSPEC").isZero();
            assertThat(b.get(U8, at + 17)).as("NFNETLINK_V0").isZero();
            assertThat(Short.toUnsignedInt(b.get(BE16, at + 18))).as("queue number, big-endian").isEqualTo(QUEUE);
            int verdict = -1;
            int id = -1;
            int mark = 0;
            long attr = at + 20;
            while (attr < at + len) {
                int alen = Short.toUnsignedInt(b.get(U16, attr));
                int atype = Short.toUnsignedInt(b.get(U16, attr + 2));
                if (atype == NfQueueProtocol.NFQA_VERDICT_HDR) {
                    assertThat(alen).isEqualTo(12);
                    verdict = b.get(BE32, attr + 4);
                    id = b.get(BE32, attr + 8);
                } else if (atype == NfQueueProtocol.NFQA_MARK) {
                    assertThat(alen).isEqualTo(8);
                    mark = b.get(BE32, attr + 4);
                } else {
                    throw new AssertionError("unexpected attribute " + atype);
                }
                attr += (alen + 3) & ~3;
            }
            assertThat(attr).as("attributes fill the message").isEqualTo(at + len);
            String kind = switch (type) {
                case NfQueueProtocol.TYPE_VERDICT_BATCH -> BATCH;
                case NfQueueProtocol.TYPE_VERDICT -> ONE;
                default -> throw new AssertionError("message type " + Integer.toHexString(type));
            };
            out.add(new Msg(kind, verdict, id, mark, seq));
            at += len;
        }
        assertThat(at).isEqualTo(length);
        return out;
    }

    private List<Msg> write(boolean batchAllowed) {
        long length = pending.write(buffer, QUEUE, 500, batchAllowed);
        assertThat(length).isLessThanOrEqualTo(pending.maxBytes());
        List<Msg> msgs = decode(buffer, length);
        assertThat(pending.messagesWritten()).isEqualTo(msgs.size());
        for (int i = 0; i < msgs.size(); i++) {
            assertThat(msgs.get(i).seq()).as("one sequence number per message").isEqualTo(500 + i);
        }
        return msgs.stream().map(Msg::withoutSeq).toList();
    }

    @Test
    void equalVerdictsInQueueOrderAreOneBatchUpToTheLastId() {
        for (int id = 10; id < 20; id++) {
            pending.add(id, NF_ACCEPT, 0);
        }
        assertThat(write(true)).containsExactly(Msg.batch(NF_ACCEPT, 19, 0));
    }

    @Test
    void eachRunOfEqualVerdictsIsOneBatchAndARunOfOneAPlainVerdict() {
        int[][] added = {{1, NF_ACCEPT, 0}, {2, NF_ACCEPT, 0}, {3, NF_DROP, 0}, {4, NF_DROP, 0}, {5, NF_DROP, 0},
                {6, NF_ACCEPT, MARK}, {7, NF_ACCEPT, 0}, {9, NF_ACCEPT, 0}, {12, NF_DROP, 0}};
        for (int[] v : added) {
            pending.add(v[0], v[1], v[2]);
        }
        assertThat(write(true)).containsExactly(
                Msg.batch(NF_ACCEPT, 2, 0),
                Msg.batch(NF_DROP, 5, 0),
                Msg.one(NF_ACCEPT, 6, MARK),        // a reject (accept + mark) is not an accept
                Msg.batch(NF_ACCEPT, 9, 0),         // ids need not be consecutive, only increasing
                Msg.one(NF_DROP, 12, 0));
    }

    @Test
    void withBatchingOffEveryVerdictIsItsOwnMessageInTheOrderAdded() {
        pending.add(1, NF_ACCEPT, 0);
        pending.add(2, NF_ACCEPT, 0);
        pending.add(3, NF_ACCEPT, MARK);
        assertThat(write(false)).containsExactly(Msg.one(NF_ACCEPT, 1, 0), Msg.one(NF_ACCEPT, 2, 0), Msg.one(NF_ACCEPT, 3, MARK));
    }

    @Test
    void outOfOrderIdsAreBatchedOnlyWhenEveryVerdictIsTheSame() {
        // a packet held earlier (id 4) answered after newer ones: a run batch up to 11 would cover it
        pending.add(10, NF_ACCEPT, 0);
        pending.add(11, NF_ACCEPT, 0);
        pending.add(4, NF_DROP, 0);
        assertThat(write(true)).containsExactly(Msg.one(NF_ACCEPT, 10, 0), Msg.one(NF_ACCEPT, 11, 0), Msg.one(NF_DROP, 4, 0));

        pending.clear();
        pending.add(10, NF_DROP, 0);
        pending.add(11, NF_DROP, 0);
        pending.add(4, NF_DROP, 0);
        assertThat(write(true)).as("the same verdict for all: one batch up to the highest")
                .containsExactly(Msg.batch(NF_DROP, 11, 0));
    }

    @Test
    void idsWrapAroundAndStayInOrder() {
        pending.add(0xFFFF_FFFE, NF_ACCEPT, 0);
        pending.add(0xFFFF_FFFF, NF_ACCEPT, 0);
        pending.add(0, NF_DROP, 0);
        pending.add(1, NF_DROP, 0);
        assertThat(write(true)).containsExactly(Msg.batch(NF_ACCEPT, 0xFFFF_FFFF, 0), Msg.batch(NF_DROP, 1, 0));

        pending.clear();
        pending.add(0xFFFF_FFFF, NF_ACCEPT, 0);
        pending.add(2, NF_ACCEPT, 0);
        pending.add(0xFFFF_FFF0, NF_ACCEPT, 0);
        assertThat(write(true)).as("the highest id across the wrap").containsExactly(Msg.batch(NF_ACCEPT, 2, 0));
    }

    @Test
    void oneVerdictIsAPlainVerdictAndNothingWritesNothing() {
        assertThat(write(true)).isEmpty();
        pending.add(77, NF_DROP, 0);
        assertThat(write(true)).containsExactly(Msg.one(NF_DROP, 77, 0));
    }

    @Test
    void theWorstCaseFitsItsBoundAndAFullSetRefusesMore() {
        PendingVerdicts full = new PendingVerdicts(3);
        full.add(1, NF_ACCEPT, MARK);
        full.add(2, NF_DROP, 0);
        full.add(3, NF_ACCEPT, MARK);
        assertThat(full.isFull()).isTrue();
        assertThat(full.write(buffer, QUEUE, 1, false)).isEqualTo(full.maxBytes() - 8); // one of three without a mark
        assertThatThrownBy(() -> full.add(4, NF_ACCEPT, 0)).isInstanceOf(IllegalStateException.class);
        full.clear();
        assertThat(full.isEmpty()).isTrue();
        full.add(4, NF_ACCEPT, 0);
        assertThat(full.size()).isEqualTo(1);
    }
}
