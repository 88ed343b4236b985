package dev.netwarden.linux.connector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link ProcEventFilter} on the datagrams recorded from this kernel's proc connector (see
 * {@link ProcEventParserTest}) with a small interpreter of the opcodes it uses: classic BPF's
 * semantics (word loads are big-endian, a load past the end drops the datagram, jumps are
 * relative). {@code ProcConnectorLiveTest} shows the kernel agrees.
 */
class ProcEventFilterTest {
    /** The recordings are little-endian (x86-64); the program for that host. */
    private static final List<ProcEventFilter.Instruction> PROGRAM = ProcEventFilter.program(ByteOrder.LITTLE_ENDIAN);

    static int run(List<ProcEventFilter.Instruction> program, byte[] p) {
        int a = 0;
        int x = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            ProcEventFilter.Instruction in = program.get(pc);
            switch (in.code()) {
                case ProcEventFilter.LD_W_ABS -> {
                    if (in.k() < 0 || in.k() + 4 > p.length) {
                        return 0;
                    }
                    a = ByteBuffer.wrap(p, in.k(), 4).order(ByteOrder.BIG_ENDIAN).getInt();
                }
                case ProcEventFilter.MISC_TAX -> x = a;
                case ProcEventFilter.JMP_JEQ_K -> pc += a == in.k() ? in.jt() : in.jf();
                case ProcEventFilter.JMP_JEQ_X -> pc += a == x ? in.jt() : in.jf();
                case ProcEventFilter.RET_K -> {
                    return in.k();
                }
                default -> throw new AssertionError("opcode not in the interpreter: " + in.code());
            }
        }
        throw new AssertionError("program fell off its end");
    }

    private static int run(String recording) throws IOException {
        return run(PROGRAM, ProcEventParserTest.real(recording));
    }

    @Test
    void letsThroughWhatAProcessListenerIsToldAndTheAck() throws IOException {
        for (String kept : List.of("ack", "fork", "exec", "comm", "exit", "exit-nonzero", "exit-signalled")) {
            assertThat(run(kept)).as(kept).isEqualTo(ProcEventFilter.KEEP);
        }
    }

    @Test
    void dropsThreadEventsAndIdChanges() throws IOException {
        for (String dropped : List.of("fork-thread", "exit-thread", "uid", "gid", "sid")) {
            assertThat(run(dropped)).as(dropped).isZero();
        }
    }

    @Test
    void dropsTheRenameOfAThreadButNotOfTheLeader() throws IOException {
        byte[] comm = ProcEventParserTest.real("comm");
        assertThat(run(PROGRAM, comm)).isEqualTo(ProcEventFilter.KEEP);
        ByteBuffer.wrap(comm).order(ByteOrder.LITTLE_ENDIAN).putInt(ProcEventFilter.DATA, 3313); // pid 3313 of tgid 3312
        assertThat(run(PROGRAM, comm)).isZero();
    }

    @Test
    void dropsPtraceCoredumpAndUnknownEvents() throws IOException {
        for (int what : new int[] {0x100, 0x40000000, 0x8}) {
            byte[] e = ProcEventParserTest.real("exec");
            ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).putInt(ProcEventFilter.WHAT, what);
            assertThat(run(PROGRAM, e)).as("what 0x%x", what).isZero();
        }
    }

    @Test
    void dropsTruncatedDatagrams() throws IOException {
        byte[] fork = ProcEventParserTest.real("fork");
        assertThat(run(PROGRAM, Arrays.copyOf(fork, 64))).as("child tgid cut off").isZero();
        assertThat(run(PROGRAM, Arrays.copyOf(fork, 30))).as("no event header").isZero();
        assertThat(run(PROGRAM, new byte[0])).isZero();
    }

    @Test
    void aBigEndianHostComparesTheConstantsUnswapped() {
        assertThat(ProcEventFilter.be(0x80000000, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x80);
        assertThat(ProcEventFilter.be(0x200, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x20000);
        assertThat(ProcEventFilter.be(0x80000000, ByteOrder.BIG_ENDIAN)).isEqualTo(0x80000000);
        assertThat(ProcEventFilter.program(ByteOrder.BIG_ENDIAN).get(1).k()).isEqualTo(1);
        assertThat(PROGRAM.get(1).k()).isEqualTo(0x01000000);
    }

    @Test
    void sockFprogHoldsTheInstructionsAsStructSockFilter() {
        List<ProcEventFilter.Instruction> native_ = ProcEventFilter.program(ByteOrder.nativeOrder());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fprog = ProcEventFilter.fprog(arena);
            assertThat(fprog.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) native_.size());
            MemorySegment filters = fprog.get(ValueLayout.ADDRESS, 8).reinterpret(8L * native_.size());
            for (int i = 0; i < native_.size(); i++) {
                ProcEventFilter.Instruction in = native_.get(i);
                assertThat(Short.toUnsignedInt(filters.get(ValueLayout.JAVA_SHORT, 8L * i))).isEqualTo(in.code());
                assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8L * i + 2))).isEqualTo(in.jt());
                assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8L * i + 3))).isEqualTo(in.jf());
                assertThat(filters.get(ValueLayout.JAVA_INT, 8L * i + 4)).isEqualTo(in.k());
            }
        }
        assertThat(native_).allSatisfy(in -> assertThat(in.jt()).isBetween(0, 255))
                .allSatisfy(in -> assertThat(in.jf()).isBetween(0, 255));
    }
}
