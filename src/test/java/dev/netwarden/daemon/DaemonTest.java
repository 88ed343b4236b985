package dev.netwarden.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonTest {
    private final List<String> log = new ArrayList<>();

    private Service service(String name, boolean failStart, boolean failClose) {
        return new Service() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                if (failStart) {
                    throw new IllegalStateException(name + " broke");
                }
                log.add("start " + name);
            }

            @Override
            public void close() {
                log.add("close " + name);
                if (failClose) {
                    throw new IllegalStateException("close failed");
                }
            }
        };
    }

    @Test
    void startsInOrderAndClosesInReverseOnce() throws Exception {
        Daemon d = new Daemon(List.of(service("a", false, false), service("b", false, true), service("c", false, false)));
        d.start();
        assertThat(d.startedAt()).isNotNull();
        d.close();
        d.close();
        // b failing to close does not keep a from closing.
        assertThat(log).containsExactly("start a", "start b", "start c", "close c", "close b", "close a");
    }

    @Test
    void failureAtStartClosesTheStartedOnes() {
        Daemon d = new Daemon(List.of(service("a", false, false), service("b", false, false), service("c", true, false),
                service("d", false, false)));
        assertThatThrownBy(d::start).isInstanceOf(ServiceStartException.class).hasMessage("cannot start c: c broke")
                .extracting(e -> ((ServiceStartException) e).service()).isEqualTo("c");
        assertThat(log).containsExactly("start a", "start b", "close b", "close a");
        d.close();
        assertThat(log).hasSize(4);
    }

    @Test
    void secondLockOnTheSameDataDirIsRefused(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (DataDirLock first = DataDirLock.acquire(data, data.resolve("netwarden.lock"), data.resolve("netwarden.pid"))) {
            assertThat(Files.readString(data.resolve("netwarden.pid")).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> DataDirLock.acquire(data, data.resolve("netwarden.lock"), data.resolve("other.pid")))
                    .isInstanceOf(DataDirLock.HeldException.class)
                    .hasMessageStartingWith("another netwarden daemon (pid " + ProcessHandle.current().pid() + ") uses " + data);
        }
        assertThat(data.resolve("netwarden.pid")).doesNotExist();
        DataDirLock.acquire(data, data.resolve("netwarden.lock"), data.resolve("netwarden.pid")).close();
    }

    @Test
    void capabilities() {
        String status = "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
        assertThat(Capabilities.missing(Capabilities.parseEffective(status))).isEmpty();
        long onlyNetAdmin = 1L << 12;
        assertThat(Capabilities.missing(onlyNetAdmin)).containsExactly(Capabilities.Required.CAP_NET_RAW,
                Capabilities.Required.CAP_SYS_PTRACE, Capabilities.Required.CAP_DAC_READ_SEARCH);
        assertThat(Capabilities.missing(0x80004 | 0x3000)).isEmpty();
        assertThatThrownBy(() -> Capabilities.parseEffective("CapEff:\tzz\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Capabilities.parseEffective("Name: x\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLineIsOneLineAndEscaped() {
        var r = new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "process {0} said hi");
        r.setLoggerName("netwarden.monitor");
        r.setParameters(new Object[] {"evil\u001b[2J\nINFO fake"});
        String line = new LogFormat(false).format(r);
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  monitor: process evil\\\\x1b\\[2J\\\\x0aINFO fake said hi\n");
    }
}
