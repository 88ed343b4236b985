package dev.netwarden.linux.connector;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Datagrams recorded from the live proc connector on kernel 6.18 (python socket, see
 * real/*.bin): a python3 process that started a thread, renamed itself and called setsid; setpriv
 * to nobody; {@code sh -c 'exit 3'}; a sleep killed by SIGKILL.
 */
class ProcEventParserTest {

    static byte[] real(String name) throws IOException {
        try (InputStream in = ProcEventParserTest.class.getResourceAsStream("real/" + name + ".bin")) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static ProcEvent only(String name) throws IOException {
        List<ProcEvent> events = ProcEventParser.parseDatagram(real(name));
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    @Test
    void ackOfListenRequest() throws IOException {
        ProcEvent.Ack ack = (ProcEvent.Ack) only("ack");
        assertThat(ack.err()).isZero();
        assertThat(ack.ack()).isEqualTo(1); // the recorder sent cn_msg.ack 0
        assertThat(ack.timestampNs()).isEqualTo(6368365033808L);
    }

    @Test
    void forkOfAProcess() throws IOException {
        ProcEvent.Fork f = (ProcEvent.Fork) only("fork");
        assertThat(f).isEqualTo(new ProcEvent.Fork(0, 6368365189791L, 3271, 3271, 3312, 3312));
        assertThat(f.isThread()).isFalse();
    }

    @Test
    void forkOfAThread() throws IOException {
        ProcEvent.Fork f = (ProcEvent.Fork) only("fork-thread");
        assertThat(f.childPid()).isEqualTo(3313);
        assertThat(f.childTgid()).isEqualTo(3312);
        assertThat(f.isThread()).isTrue();
    }

    @Test
    void exec() throws IOException {
        assertThat(only("exec")).isEqualTo(new ProcEvent.Exec(0, 6368365417671L, 3312, 3312));
    }

    @Test
    void commCarriesTheNewName() throws IOException {
        ProcEvent.Comm c = (ProcEvent.Comm) only("comm");
        assertThat(c.comm()).isEqualTo("nw-renamed");
        assertThat(c.tgid()).isEqualTo(3312);
    }

    @Test
    void uidAndGidChanges() throws IOException {
        ProcEvent.IdChange uid = (ProcEvent.IdChange) only("uid");
        assertThat(uid.kind()).isEqualTo(ProcEvent.IdChange.Kind.UID);
        assertThat(uid.realId()).isEqualTo(65534);
        assertThat(uid.effectiveId()).isEqualTo(65534);
        ProcEvent.IdChange gid = (ProcEvent.IdChange) only("gid");
        assertThat(gid.kind()).isEqualTo(ProcEvent.IdChange.Kind.GID);
    }

    @Test
    void sid() throws IOException {
        assertThat(only("sid")).isInstanceOf(ProcEvent.Sid.class);
    }

    @Test
    void exitsOfProcessesAndThreads() throws IOException {
        ProcEvent.Exit clean = (ProcEvent.Exit) only("exit");
        assertThat(clean).isEqualTo(new ProcEvent.Exit(0, 6368399462294L, 3312, 3312, 0, 17, 3271, 3271));
        assertThat(clean.isThread()).isFalse();
        ProcEvent.Exit three = (ProcEvent.Exit) only("exit-nonzero");
        assertThat(three.exitCode() >> 8).isEqualTo(3); // sh -c 'exit 3': a wait status
        ProcEvent.Exit killed = (ProcEvent.Exit) only("exit-signalled");
        assertThat(killed.exitCode() & 0x7f).isEqualTo(9);
        ProcEvent.Exit thread = (ProcEvent.Exit) only("exit-thread");
        assertThat(thread.isThread()).isTrue();
        assertThat(thread.exitSignal()).isEqualTo(-1);
    }

    @Test
    void everyTruncationOfEveryRecordingIsRejected() throws IOException {
        for (String name : List.of("ack", "fork", "exec", "comm", "uid", "sid", "exit")) {
            byte[] full = real(name);
            for (int len = 1; len < full.length; len++) { // 0 bytes: no message, no event
                byte[] cut = Arrays.copyOf(full, len);
                // nlmsg_len still says 76: the netlink cursor rejects it before the parser sees it
                assertThatThrownBy(() -> ProcEventParser.parseDatagram(cut))
                        .as("%s cut to %d bytes", name, len).isInstanceOf(MalformedNetlinkException.class);
            }
        }
    }

    @Test
    void shortProcEventInsideAConsistentMessageIsRejected() throws IOException {
        byte[] fork = real("fork");
        // A payload that claims only the header and 8 bytes of the fork union (cn_msg.len = 24).
        MemorySegment seg = MemorySegment.ofArray(fork);
        ByteBuffer.wrap(fork).order(ByteOrder.nativeOrder()).putShort(16 + 16, (short) 24);
        assertThatThrownBy(() -> ProcEventParser.parse(seg, 16, fork.length - 16))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("fork of 24 bytes, needs 32");
    }

    @Test
    void lengthPastThePayloadIsRejected() throws IOException {
        byte[] exec = real("exec");
        ByteBuffer.wrap(exec).order(ByteOrder.nativeOrder()).putShort(16 + 16, (short) 41);
        assertThatThrownBy(() -> ProcEventParser.parse(MemorySegment.ofArray(exec), 16, exec.length - 16))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("cn_msg.len 41");
    }

    @Test
    void anotherConnectorsMessageIsNotOurs() throws IOException {
        byte[] exec = real("exec");
        ByteBuffer.wrap(exec).order(ByteOrder.nativeOrder()).putInt(16, 7); // idx 7
        assertThat(ProcEventParser.parseDatagram(exec)).isEmpty();
    }

    @Test
    void unknownTypeIsKeptAsUnknown() throws IOException {
        byte[] exec = real("exec");
        ByteBuffer.wrap(exec).order(ByteOrder.nativeOrder()).putInt(36, 0x1000);
        assertThat(ProcEventParser.parseDatagram(exec)).singleElement()
                .isEqualTo(new ProcEvent.Unknown(0, 6368365417671L, 0x1000));
    }
}
