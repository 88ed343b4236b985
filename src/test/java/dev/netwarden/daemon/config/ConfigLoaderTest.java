package dev.netwarden.daemon.config;

import dev.netwarden.intercept.FailPolicy;

import dev.netwarden.flow.InterceptionLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    /** Every key at a value different from its default. */
    static final String ALL_KEYS = """
            [daemon]
            level = "intercept"
            data_dir = "/srv/nw/data"
            rules_dir = "/srv/nw/rules"
            log_level = "debug"
            control_socket = "/run/nw.sock"

            [monitor]
            poll_interval = "250ms"
            update_interval = "30s"
            exited_process_grace = "5m"

            [dns]
            sniff = false
            cache_size = 1024
            ttl_grace = "2h"
            hosts_file = ""

            [history]
            flush_interval = "5s"
            queue_capacity = 100
            retention = "30d"
            max_size = "10GiB"
            retention_check_interval = "10m"

            [intercept]
            queue_num = 7
            fail_policy = "closed"
            queue_maxlen = 100
            inbound = true
            queue_dns = false
            queues = 2

            [firewall]
            default_action = "prompt"
            prompt_timeout = "45s"
            prompt_timeout_action = "reject"
            lists_dir = "/srv/nw/lists"
            lists_refresh = "6h"

            [web]
            enabled = false
            address = "::1"
            port = 8443
            tls_keystore = "/srv/nw/web.p12"
            tls_keystore_password_file = "/srv/nw/web.pass"
            """;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("netwarden.toml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaults() {
        DaemonConfig c = DaemonConfig.defaults();
        assertThat(c.daemon()).isEqualTo(new DaemonSection(InterceptionLevel.PASSIVE, Path.of("/var/lib/netwarden"),
                Path.of("/etc/netwarden/rules"), LogLevel.INFO, Path.of("/var/lib/netwarden/control.sock")));
        assertThat(c.daemon().controlSocket()).isEqualTo(DaemonSection.DEFAULT_CONTROL_SOCKET);
        assertThat(c.monitor()).isEqualTo(new MonitorSection(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(2)));
        assertThat(c.dns()).isEqualTo(new DnsSection(true, 16384, Duration.ofHours(1), Path.of("/etc/hosts")));
        assertThat(c.history()).isEqualTo(new HistorySection(Duration.ofSeconds(1), 65536, Duration.ofDays(90), new ByteSize(2L << 30), Duration.ofHours(1)));
        assertThat(c.intercept()).isEqualTo(new InterceptSection(0, FailPolicy.OPEN, 4096, false, true, 1));
        assertThat(c.web()).isEqualTo(new WebSection(true, "127.0.0.1", 7979, null, null));
    }

    @Test
    void interceptQueuesAreCheckedAndZeroMeansOnePerCpuCapped() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("intercept.queues=17"))))
                .hasMessage("--set: intercept.queues = 17: must be an integer from 0 to 16");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("intercept.queue_num=65535"),
                ConfigLoader.Override.parseSet("intercept.queues=2"))))
                .hasMessageContaining("queues 65535..65536 go beyond 65535");
        InterceptSection one = ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("intercept.queues=1"))).intercept();
        assertThat(one.effectiveQueues()).isEqualTo(1);
        assertThat(DaemonConfig.defaults().intercept().effectiveQueues()).as("the default: one queue").isEqualTo(1);
        InterceptSection auto = ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("intercept.queues=0"))).intercept();
        assertThat(auto.effectiveQueues()).isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), InterceptSection.AUTO_QUEUES_CAP));
        assertThat(new InterceptSection(65535, FailPolicy.OPEN, 10, false, false, 0).effectiveQueues())
                .as("auto never goes past the last queue number").isEqualTo(1);
    }

    @Test
    void webAddressMustBeALiteralAndThePasswordFileNeedsAKeystore() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("web.address=localhost"))))
                .hasMessage("--set: web.address = \"localhost\": must be an IP address such as \"127.0.0.1\" or \"::1\" (not a host name)");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("web.port=0"))))
                .hasMessage("--set: web.port = 0: must be an integer from 1 to 65535");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("web.tls_keystore_password_file=/p"))))
                .hasMessage("--set: web.tls_keystore_password_file = \"/p\": must be \"\" unless web.tls_keystore is set");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("web.tls_keystore=rel.p12"))))
                .hasMessageContaining("must be an absolute path");
        assertThat(ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("web.address=0.0.0.0"))).web().address())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void missingDefaultFileMeansDefaultsButMissingGivenFileIsAnError() throws Exception {
        assertThat(ConfigLoader.load(null, List.of()).monitor()).isEqualTo(DaemonConfig.defaults().monitor());
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, List.of()))
                .isInstanceOf(ConfigException.class).hasMessage(missing + ": no such configuration file");
    }

    @Test
    void emptyFileIsAllDefaults() throws Exception {
        assertThat(ConfigLoader.load(write("# nothing\n"), List.of())).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void everyKeyIsMappedAndRoundTrips() throws Exception {
        DaemonConfig c = ConfigLoader.load(write(ALL_KEYS), List.of());
        assertThat(c.daemon()).isEqualTo(new DaemonSection(InterceptionLevel.INTERCEPT, Path.of("/srv/nw/data"),
                Path.of("/srv/nw/rules"), LogLevel.DEBUG, Path.of("/run/nw.sock")));
        assertThat(c.monitor()).isEqualTo(new MonitorSection(Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(5)));
        assertThat(c.dns()).isEqualTo(new DnsSection(false, 1024, Duration.ofHours(2), null));
        assertThat(c.history()).isEqualTo(new HistorySection(Duration.ofSeconds(5), 100, Duration.ofDays(30),
                new ByteSize(10L << 30), Duration.ofMinutes(10)));
        assertThat(c.intercept()).isEqualTo(new InterceptSection(7, FailPolicy.CLOSED, 100, true, false, 2));
        assertThat(c.firewall()).isEqualTo(new FirewallSection(dev.netwarden.firewall.DefaultAction.PROMPT,
                Duration.ofSeconds(45), dev.netwarden.firewall.Action.REJECT, Path.of("/srv/nw/lists"), Duration.ofHours(6)));
        assertThat(c.web()).isEqualTo(new WebSection(false, "::1", 8443, Path.of("/srv/nw/web.p12"), Path.of("/srv/nw/web.pass")));

        // Every key of the table differs from its default in this file: no key is silently unmapped.
        Map<String, Map<String, Object>> printed = c.toSections();
        Map<String, Map<String, Object>> defaults = DaemonConfig.defaults().toSections();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            assertThat(printed.get(k.section()).get(k.name())).as(k.path())
                    .isNotEqualTo(defaults.get(k.section()).get(k.name()));
        }
        assertThat(printed.values().stream().mapToInt(Map::size).sum()).isEqualTo(ConfigKeys.all().size());

        // What --print-config writes reads back as the same configuration.
        assertThat(ConfigLoader.load(write(c.toToml()), List.of())).isEqualTo(c);
        assertThat(ConfigLoader.load(write(DaemonConfig.defaults().toToml()), List.of())).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void jsonPrintHasEveryKey() {
        String json = DaemonConfig.defaults().toJson();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            assertThat(json).contains("\"" + k.name() + "\"");
        }
        assertThat(json).contains("\"control_socket\" : \"/var/lib/netwarden/control.sock\"");
    }

    @Test
    void controlSocketFollowsDataDir() throws Exception {
        DaemonConfig c = ConfigLoader.load(write("[daemon]\ndata_dir = \"/tmp/x\"\n"), List.of());
        assertThat(c.daemon().controlSocket()).isEqualTo(Path.of("/tmp/x/control.sock"));
    }

    @Test
    void precedenceFlagOverFileOverDefault() throws Exception {
        Path f = write("[daemon]\nlevel = \"intercept\"\nlog_level = \"warn\"\n[dns]\ncache_size = 10\n");
        DaemonConfig c = ConfigLoader.load(f, List.of(
                new ConfigLoader.Override("daemon.level", "passive", "--level"),
                ConfigLoader.Override.parseSet("dns.sniff=false"),
                ConfigLoader.Override.parseSet("history.max_size=512MiB")));
        assertThat(c.daemon().level()).isEqualTo(InterceptionLevel.PASSIVE); // flag over file
        assertThat(c.daemon().logLevel()).isEqualTo(LogLevel.WARN);           // file over default
        assertThat(c.dns().cacheSize()).isEqualTo(10);
        assertThat(c.dns().sniff()).isFalse();                                 // flag over default
        assertThat(c.history().maxSize()).isEqualTo(new ByteSize(512L << 20));
        assertThat(c.monitor().pollInterval()).isEqualTo(Duration.ofSeconds(1)); // default
        // Later overrides win over earlier ones.
        assertThat(ConfigLoader.load(f, List.of(ConfigLoader.Override.parseSet("dns.cache_size=5"),
                ConfigLoader.Override.parseSet("dns.cache_size=6"))).dns().cacheSize()).isEqualTo(6);
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() throws Exception {
        Path f = write("[daemon]\nlevel = \n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + " line 2, column 9: not valid TOML: ");
        Path g = write("[dns]\nsniff = true\nsniff = false\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, List.of())).hasMessageContaining(g + " line 4").hasMessageContaining("Duplicate key");
    }

    @Test
    void unknownKeyAndSection() throws Exception {
        Path f = write("[dns]\nsniff = true\nsnif = false\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessage(f + " line 3: unknown key snif in [dns]; known keys: sniff, cache_size, ttl_grace, hosts_file");
        Path g = write("\n[firewal]\nx = 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, List.of()))
                .hasMessage(g + " line 2: unknown section [firewal]; known sections: [daemon], [monitor], [dns], [history], [intercept], [firewall], [web]");
        Path h = write("level = \"passive\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(h, List.of())).hasMessageStartingWith(h + " line 1: unknown key level outside any section");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("dns.snif=1"))))
                .hasMessage("--set dns.snif: unknown key; known keys in [dns]: sniff, cache_size, ttl_grace, hosts_file");
        assertThatThrownBy(() -> ConfigLoader.Override.parseSet("dns.sniff"))
                .hasMessageContaining("expected section.key=value");
    }

    @Test
    void wrongTypes() throws Exception {
        Path f = write("[dns]\ncache_size = \"big\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of()))
                .hasMessage(f + " line 2: dns.cache_size = \"big\": must be an integer");
        Path g = write("[dns]\nsniff = 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, List.of())).hasMessage(g + " line 2: dns.sniff = 1: must be true or false");
        Path h = write("[monitor]\npoll_interval = 5\n");
        assertThatThrownBy(() -> ConfigLoader.load(h, List.of()))
                .hasMessage(h + " line 2: monitor.poll_interval = 5: must be a string (in quotes)");
        Path s = write("[daemon]\nlevel = \"passive\"\n[dns]\nsniff = \"yes\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(s, List.of())).hasMessage(s + " line 4: dns.sniff = \"yes\": must be true or false");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("dns.sniff=yes"))))
                .hasMessage("--set dns.sniff=yes: must be true or false");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("dns.cache_size=1e3"))))
                .hasMessage("--set dns.cache_size=1e3: must be an integer");
    }

    @Test
    void badValuesSayWhatIsAllowed() throws Exception {
        Path f = write("[daemon]\nlevel = \"block\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of()))
                .hasMessage(f + " line 2: daemon.level = \"block\": must be one of \"passive\", \"intercept\"");
        Path g = write("[history]\nflush_interval = \"2m\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, List.of()))
                .hasMessage(g + " line 2: history.flush_interval = \"2m\": must be a duration from 10ms to 1m");
        Path h = write("[monitor]\nupdate_interval = \"1.5s\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(h, List.of())).hasMessageStartingWith(h
                + " line 2: monitor.update_interval = \"1.5s\": must be a duration from 1s to 1d: a whole number and a unit");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(new ConfigLoader.Override("daemon.data_dir", "relative/dir", "--data-dir"))))
                .hasMessage("--data-dir: daemon.data_dir = \"relative/dir\": must be an absolute path");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("intercept.queue_num=65536"))))
                .hasMessage("--set: intercept.queue_num = 65536: must be an integer from 0 to 65535");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("history.max_size=10GB"))))
                .hasMessageStartingWith("--set: history.max_size = \"10GB\": must be \"\" (no limit) or a size of at least 1MiB");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("daemon.log_level=verbose"))))
                .hasMessage("--set: daemon.log_level = \"verbose\": must be one of \"error\", \"warn\", \"info\", \"debug\", \"trace\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of(ConfigLoader.Override.parseSet("daemon.data_dir=/" + "d".repeat(120)))))
                .hasMessageContaining("daemon.data_dir").hasMessageContaining("longer than the 107 bytes");
    }

    @Test
    void durationsAndSizes() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(DurationText.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> DurationText.parse("10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse("999999999999d")).isInstanceOf(ArithmeticException.class);
        assertThat(ByteSize.parse("512MiB").bytes()).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("4096").toString()).isEqualTo("4KiB");
        assertThat(new ByteSize(1536).toString()).isEqualTo("1536B");
        assertThatThrownBy(() -> ByteSize.parse("1.5GiB")).isInstanceOf(IllegalArgumentException.class);
    }
}
