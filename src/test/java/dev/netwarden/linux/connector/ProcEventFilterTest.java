package dev.netwarden.linux.connector;

import dev.netwarden.linux.bpf.SocketFilter;
import dev.netwarden.linux.bpf.SocketFilterInterpreter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link ProcEventFilter} on the datagrams recorded from this kernel's proc connector (see
 * {@link ProcEventParserTest}) with {@link SocketFilterInterpreter} (classic BPF's semantics: word
 * loads are big-endian, a load past the end drops the datagram). {@code ProcConnectorLiveTest}
 * shows the kernel agrees.
 */
class ProcEventFilterTest {
    /** The recordings are little-endian (x86-64); the program for that host. */
    private static final SocketFilter PROGRAM = ProcEventFilter.program(ByteOrder.LITTLE_ENDIAN);

    private static int run(String recording) throws IOException {
        return SocketFilterInterpreter.run(PROGRAM, ProcEventParserTest.real(recording));
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
        assertThat(SocketFilterInterpreter.run(PROGRAM, comm)).isEqualTo(ProcEventFilter.KEEP);
        ByteBuffer.wrap(comm).order(ByteOrder.LITTLE_ENDIAN).putInt(ProcEventFilter.DATA, 3313); // pid 3313 of tgid 3312
        assertThat(SocketFilterInterpreter.run(PROGRAM, comm)).isZero();
    }

    @Test
    void dropsPtraceCoredumpAndUnknownEvents() throws IOException {
        for (int what : new int[] {0x100, 0x40000000, 0x8}) {
            byte[] e = ProcEventParserTest.real("exec");
            ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).putInt(ProcEventFilter.WHAT, what);
            assertThat(SocketFilterInterpreter.run(PROGRAM, e)).as("what 0x%x", what).isZero();
        }
    }

    @Test
    void dropsTruncatedDatagrams() throws IOException {
        byte[] fork = ProcEventParserTest.real("fork");
        assertThat(SocketFilterInterpreter.run(PROGRAM, Arrays.copyOf(fork, 64))).as("child tgid cut off").isZero();
        assertThat(SocketFilterInterpreter.run(PROGRAM, Arrays.copyOf(fork, 30))).as("no event header").isZero();
        assertThat(SocketFilterInterpreter.run(PROGRAM, new byte[0])).isZero();
    }

    @Test
    void aBigEndianHostComparesTheConstantsUnswapped() {
        assertThat(ProcEventFilter.be(0x80000000, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x80);
        assertThat(ProcEventFilter.be(0x200, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x20000);
        assertThat(ProcEventFilter.be(0x80000000, ByteOrder.BIG_ENDIAN)).isEqualTo(0x80000000);
        assertThat(ProcEventFilter.program(ByteOrder.BIG_ENDIAN).get(1).k()).isEqualTo(1);
        assertThat(PROGRAM.get(1).k()).isEqualTo(0x01000000);
    }
}
