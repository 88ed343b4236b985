package dev.netwarden.conns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolsTest {

    /** A copy of /etc/protocols from a Debian machine (netbase). */
    static Protocols fixture() throws IOException {
        try (InputStream in = ProtocolsTest.class.getResourceAsStream("protocols.fixture")) {
            return Protocols.parse(in.readAllBytes());
        }
    }

    @Test
    void realFileFixtureNamesWhatRawSocketsCarry() throws IOException {
        Protocols p = fixture();
        assertThat(p.name(1)).isEqualTo("icmp");
        assertThat(p.name(6)).isEqualTo("tcp");
        assertThat(p.name(17)).isEqualTo("udp");
        assertThat(p.name(58)).isEqualTo("ipv6-icmp");
        assertThat(p.name(0)).as("first entry wins over hopopt 0").isEqualTo("ip");
        assertThat(p.name(253)).as("experimental: not in the file").isNull();
        assertThat(p.name(256)).isNull();
        assertThat(p.name(-1)).isNull();
    }

    @Test
    void edgeCases() {
        Protocols p = Protocols.parse("""
                # comment only
                   \t
                  lead 1 LEAD # a comment with 2
                dup 1
                big 256
                neg -1
                hex 0x3
                nonumber
                tabbed\t4\tTABBED
                glued 5#comment
                crlf 6\r
                padded 007
                long 0009
                """);
        assertThat(p.name(1)).isEqualTo("lead");
        assertThat(p.name(2)).isNull();
        assertThat(p.name(3)).isNull();
        assertThat(p.name(4)).isEqualTo("tabbed");
        assertThat(p.name(5)).isEqualTo("glued");
        assertThat(p.name(6)).isEqualTo("crlf");
        assertThat(p.name(7)).as("leading zeros, as atoi reads them").isEqualTo("padded");
        assertThat(p.name(9)).as("more than three digits is not a protocol number").isNull();
        for (int i = 0; i < 256; i++) {
            if (i != 1 && i != 4 && i != 5 && i != 6 && i != 7) {
                assertThat(p.name(i)).as("protocol %d", i).isNull();
            }
        }
    }

    @Test
    void missingFileFallsBackToBuiltin(@TempDir Path dir) throws IOException {
        Protocols p = Protocols.load(dir.resolve("protocols"));
        assertThat(p.name(1)).isEqualTo("icmp");
        assertThat(p.name(6)).isEqualTo("tcp");
        assertThat(p.name(17)).isEqualTo("udp");
        assertThat(p.name(58)).isEqualTo("ipv6-icmp");
        assertThat(p.name(2)).isNull();
    }

    @Test
    void noneKnowsNothing() {
        assertThat(Protocols.none().name(1)).isNull();
    }

    @Test
    void invalidUtf8DoesNotThrow() {
        Protocols p = Protocols.parse(new byte[] {(byte) 0xff, 'a', ' ', '1', '\n'});
        assertThat(p.name(1)).isEqualTo("\ufffda");
    }
}
