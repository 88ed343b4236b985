package dev.netwarden.conns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.netwarden.socket.Netid;

class ServicesTest {

    static Services fixture() throws IOException {
        try (InputStream in = ServicesTest.class.getResourceAsStream("services.fixture")) {
            return Services.parse(in.readAllBytes());
        }
    }

    @Test
    void realFileFixtureResolvesBothWays() throws IOException {
        Services s = fixture();
        assertThat(s.name(22, "tcp")).isEqualTo("ssh");
        assertThat(s.name(443, "tcp")).isEqualTo("https");
        assertThat(s.name(53, "udp")).isEqualTo("domain");
        assertThat(s.name(Netid.TCP, 80)).isEqualTo("http");
        assertThat(s.name(Netid.RAW, 80)).isNull();
        assertThat(s.name(Netid.TCP, 0)).isNull();
        assertThat(s.port("ssh")).isEqualTo(22);
        assertThat(s.port("www")).as("alias").isEqualTo(80);
        assertThat(s.port("https", "udp")).isEqualTo(443);
        assertThat(s.port("no-such-service")).isEqualTo(-1);
        assertThat(s.name(65535, "tcp")).isNull();
        assertThat(s.name(-1, "tcp")).isNull();
        assertThat(s.name(70000, "tcp")).isNull();
    }

    @Test
    void edgeCases() {
        Services s = Services.parse("""
                # comment only
                   \t
                foo 1000/tcp bar baz # trailing comment with 2000/tcp
                foo2\t1000/tcp
                dup 1001/udp
                dup 1002/udp
                badport 70000/tcp
                neg -1/tcp
                noslash 1003
                noproto 1004/
                sctp 1005/sctp
                UPPER 1006/TCP
                x 1007/tcp#glued-comment
                crlf 1008/tcp\r
                """);
        assertThat(s.name(1000, "tcp")).as("first entry wins").isEqualTo("foo");
        assertThat(s.port("baz")).isEqualTo(1000);
        assertThat(s.port("dup", "udp")).as("first port for a name wins").isEqualTo(1001);
        assertThat(s.port("badport")).isEqualTo(-1);
        assertThat(s.port("neg")).isEqualTo(-1);
        assertThat(s.port("noslash")).isEqualTo(-1);
        assertThat(s.port("noproto")).isEqualTo(-1);
        assertThat(s.port("sctp")).isEqualTo(-1);
        assertThat(s.name(1006, "tcp")).isEqualTo("UPPER");
        assertThat(s.port("x")).isEqualTo(1007);
        assertThat(s.name(1008, "tcp")).isEqualTo("crlf");
        assertThat(s.name(2000, "tcp")).isNull();
    }

    @Test
    void missingFileFallsBackToBuiltin(@TempDir Path dir) throws IOException {
        Services s = Services.load(dir.resolve("services"));
        assertThat(s.name(22, "tcp")).isEqualTo("ssh");
        assertThat(s.name(443, "tcp")).isEqualTo("https");
        assertThat(s.name(53, "udp")).isEqualTo("domain");
        assertThat(s.port("http")).isEqualTo(80);
    }

    @Test
    void noneKnowsNothing() {
        assertThat(Services.none().name(22, "tcp")).isNull();
        assertThat(Services.none().port("ssh")).isEqualTo(-1);
    }

    @Test
    void invalidUtf8DoesNotThrow() {
        Services s = Services.parse(new byte[] {(byte) 0xff, 'a', ' ', '1', '/', 't', 'c', 'p', '\n'});
        assertThat(s.name(1, "tcp")).isEqualTo("\ufffda");
    }
}
