package dev.netwarden.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class HostsFileTest {
    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void debianDefault() {
        HostsFile h = HostsFile.parse("""
                127.0.0.1	localhost
                127.0.1.1	myhost.example.org	myhost

                # The following lines are desirable for IPv6 capable hosts
                ::1     localhost ip6-localhost ip6-loopback
                ff02::1 ip6-allnodes
                ff02::2 ip6-allrouters
                """);
        assertThat(h.nameFor(ip("127.0.0.1"))).isEqualTo("localhost");
        assertThat(h.nameFor(ip("127.0.1.1"))).isEqualTo("myhost.example.org");
        assertThat(h.nameFor(ip("::1"))).isEqualTo("localhost");
        assertThat(h.nameFor(ip("ff02::2"))).isEqualTo("ip6-allrouters");
        assertThat(h.nameFor(ip("10.0.0.1"))).isNull();
        assertThat(h.size()).isEqualTo(5);
        assertThat(h.skippedLines()).isZero();
    }

    @Test
    void commentsAtLineEndAndMixedCase() {
        HostsFile h = HostsFile.parse("10.53.0.10 TestSite.TEST # the test site\n   # indented comment\n");
        assertThat(h.nameFor(ip("10.53.0.10"))).isEqualTo("testsite.test");
        assertThat(h.size()).isEqualTo(1);
    }

    @Test
    void firstLineOfAnAddressWins() {
        HostsFile h = HostsFile.parse("10.0.0.1 first.test\n10.0.0.1 second.test\n");
        assertThat(h.nameFor(ip("10.0.0.1"))).isEqualTo("first.test");
    }

    @Test
    void badLinesAreSkippedAndCounted() {
        HostsFile h = HostsFile.parse("""
                10.0.0.1
                not-an-address host.test
                10.0.0.256 host.test
                127.1 short.test
                fe80::1%1 zoned.test
                fe80::2%no-such-interface0 lost.test
                10.0.0.2 bad\u001b[31mname.test good.test
                10.0.0.3 \u00e9t\u00e9.test
                fd00::3 v6.test
                """);
        assertThat(h.skippedLines()).isEqualTo(6);
        assertThat(h.skippedNames()).isEqualTo(2);
        assertThat(h.nameFor(ip("10.0.0.2"))).isEqualTo("good.test");
        assertThat(h.nameFor(ip("10.0.0.3"))).isNull();
        assertThat(h.nameFor(ip("fd00::3"))).isEqualTo("v6.test");
        assertThat(h.nameFor(ip("fe80::1"))).as("a zone names its interface; the address matches without it")
                .isEqualTo("zoned.test");
        assertThat(h.size()).isEqualTo(3);
    }

    @Test
    void emptyAndWhitespaceOnly() {
        assertThat(HostsFile.parse("").size()).isZero();
        assertThat(HostsFile.parse("\n \t\n#\n").skippedLines()).isZero();
    }

    @Test
    void watcherReloadsWhenTheFileChanges(@TempDir Path dir) throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "10.0.0.1 before.test\n");
        AtomicLong now = new AtomicLong();
        HostsFileWatcher w = new HostsFileWatcher(hosts, Duration.ofSeconds(2), now::get);
        assertThat(w.nameFor(ip("10.0.0.1"))).isEqualTo("before.test");

        Files.writeString(hosts, "10.0.0.1 after.test\n");
        Files.setLastModifiedTime(hosts, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(w.nameFor(ip("10.0.0.1"))).as("not checked before the interval").isEqualTo("before.test");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(w.nameFor(ip("10.0.0.1"))).isEqualTo("after.test");
        assertThat(w.loads()).isEqualTo(2);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        w.nameFor(ip("10.0.0.1"));
        assertThat(w.loads()).as("unchanged file is not re-read").isEqualTo(2);

        Files.delete(hosts);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(w.nameFor(ip("10.0.0.1"))).isNull();
        assertThat(w.lastError()).isNull();
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) {
        HostsFileWatcher w = new HostsFileWatcher(dir.resolve("none"));
        assertThat(w.nameFor(ip("127.0.0.1"))).isNull();
        assertThat(w.current().size()).isZero();
    }
}
