package dev.netwarden.linux.proc;

import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /proc/net/raw{,6} as recorded from a namespace holding an ICMP and a bound ICMPv6 raw socket. */
class ProcNetRawParserTest {
    @Test
    void parsesRecordedIpv4Table() {
        byte[] b = Fixtures.real("net-raw");
        List<SocketEntry> rows = ProcNetRawParser.parse(b, b.length, SocketEntry.AF_INET);
        assertThat(rows).singleElement().satisfies(s -> {
            assertThat(s.netid()).isEqualTo(Netid.RAW);
            assertThat(s.family()).isEqualTo(SocketEntry.AF_INET);
            assertThat(s.state()).isEqualTo(SocketState.CLOSE);
            assertThat(s.local().address().getHostAddress()).isEqualTo("0.0.0.0");
            assertThat(s.local().port()).as("raw protocol: ICMP").isEqualTo(1);
            assertThat(s.remote().port()).isZero();
            assertThat(s.inode()).isEqualTo(972876);
            assertThat(s.uid()).isZero();
        });
    }

    @Test
    void parsesRecordedIpv6TableWithHostOrderWords() {
        byte[] b = Fixtures.real("net-raw6");
        List<SocketEntry> rows = ProcNetRawParser.parse(b, b.length, SocketEntry.AF_INET6);
        assertThat(rows).singleElement().satisfies(s -> {
            assertThat(s.local().address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(s.local().port()).as("raw protocol: ICMPv6").isEqualTo(58);
            assertThat(s.inode()).isEqualTo(972877);
        });
    }

    @Test
    void headerOnlyIsEmpty() {
        byte[] b = "  sl  local_address rem_address   st\n".getBytes();
        assertThat(ProcNetRawParser.parse(b, b.length, SocketEntry.AF_INET)).isEmpty();
    }

    @Test
    void malformedLinesAreRejectedWithTheLine() {
        for (String bad : List.of(
                "h\n 1: 0100007F:0001 00000000:0000 07\n",                                        // too few fields
                "h\n 1: 0100007G:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n", // bad hex
                "h\n 1: 0100007F0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",  // no colon
                "h\n 1: 0100007F:0001 00000000:0000 07 0000000000000000 00:00000000 00000000 0 0 5 2 0 0\n",  // queues
                "h\n 1: 0100007F:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 -5 2 0 0\n")) { // inode
            byte[] b = bad.getBytes();
            assertThatThrownBy(() -> ProcNetRawParser.parse(b, b.length, SocketEntry.AF_INET))
                    .isInstanceOf(MalformedProcFileException.class);
        }
    }
}
