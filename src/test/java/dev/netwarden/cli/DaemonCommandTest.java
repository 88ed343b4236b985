package dev.netwarden.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code netwarden daemon}'s configuration flags and exit codes (nothing here starts a daemon). */
class DaemonCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;
    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * What the command wrote to stderr, without the lines the Jazzer agent writes there when a fuzz
     * test ran earlier in this JVM and a class is instrumented while this test captures stderr.
     */
    private String err() {
        return err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("INFO: Instrumented "))
                .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
    }

    @Test
    void checkConfig() throws Exception {
        Path f = dir.resolve("n.toml");
        Files.writeString(f, "[dns]\nsniff = false\n");
        assertThat(Main.execute(new String[] {"daemon", "--config", f.toString(), "--check-config"})).isZero();
        assertThat(out()).isEqualTo("configuration ok\n");
        Files.writeString(f, "[dns]\nsniff = \"no\"\n");
        assertThat(Main.execute(new String[] {"daemon", "--config", f.toString(), "--check-config"})).isEqualTo(2);
        assertThat(err()).isEqualTo("netwarden daemon: configuration error: " + f + " line 2: dns.sniff = \"no\": must be true or false\n");
    }

    @Test
    void missingConfigFileIsAConfigError() {
        assertThat(Main.execute(new String[] {"daemon", "--config", dir.resolve("x.toml").toString(), "--check-config"})).isEqualTo(2);
        assertThat(err()).contains("x.toml: no such configuration file");
    }

    @Test
    void printConfigShowsFlagsOverFileOverDefaults() throws Exception {
        Path f = dir.resolve("n.toml");
        Files.writeString(f, "[daemon]\nlevel = \"intercept\"\nlog_level = \"warn\"\n[dns]\ncache_size = 5\n");
        assertThat(Main.execute(new String[] {"daemon", "--config", f.toString(), "--print-config", "--level", "passive",
                "--data-dir", "/srv/nw", "--set", "dns.cache_size=6", "--set", "daemon.log_level=error", "--log-level", "debug"})).isZero();
        assertThat(out()).startsWith("""
                [daemon]
                level = "passive"
                data_dir = "/srv/nw"
                rules_dir = "/etc/netwarden/rules"
                log_level = "debug"
                control_socket = "/srv/nw/control.sock"
                """).contains("cache_size = 6\n", "retention = \"90d\"\n");
        out.reset();
        assertThat(Main.execute(new String[] {"daemon", "--print-config", "--json", "--config", f.toString()})).isZero();
        assertThat(out()).contains("\"level\" : \"intercept\"", "\"cache_size\" : 5");
    }

    @Test
    void usageErrors() {
        assertThat(Main.execute(new String[] {"daemon", "--json"})).isEqualTo(2);
        assertThat(Main.execute(new String[] {"daemon", "--set", "nodot", "--check-config"})).isEqualTo(2);
        assertThat(err()).contains("--set nodot: expected section.key=value");
        assertThat(Main.execute(new String[] {"daemon", "--level", "block", "--check-config"})).isEqualTo(2);
        assertThat(err()).contains("--level: daemon.level = \"block\": must be one of \"passive\", \"intercept\"");
    }
}
