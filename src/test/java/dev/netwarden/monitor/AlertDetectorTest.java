package dev.netwarden.monitor;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts on a known sequence of connections, with process values as /proc showed them on this machine. */
class AlertDetectorTest {
    @TempDir
    Path bin;

    private static final String CURL = "/usr/bin/curl";
    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    private static ProcessSnapshot proc(int pid, String comm, String exe, boolean deleted, String sha, String... argv) {
        return new ProcessSnapshot(new ProcessInfo(pid, 1, 1000, "alice", comm, exe, deleted, List.of(argv), 12345,
                "/user.slice", null), sha, sha == null ? "unreadable" : null, List.of());
    }

    private static long flow = 0;

    private static FlowEvent.Opened opened(ProcessSnapshot p, String domain) throws Exception {
        return new FlowEvent.Opened(++flow, 1000, Transport.TCP, 2, new InetEndpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new InetEndpoint(InetAddress.getByName("192.0.2.7"), 443), Direction.OUTBOUND, "ESTAB", Attribution.of(p), domain,
                InterceptionLevel.PASSIVE, 1);
    }

    private static List<AlertKind> kinds(List<FlowEvent.Alert> alerts) {
        return alerts.stream().map(FlowEvent.Alert::kind).toList();
    }

    @Test
    void aKnownSequenceRaisesEachAlertOnceExceptHashChanges() throws Exception {
        AlertDetector d = new AlertDetector(Map.of("/usr/bin/wget", HASH_A), List.of(new ExeDomain("/usr/bin/wget", "debian.org")),
                100, new CommCheck(List.of(bin)));
        ProcessSnapshot curl = proc(10, "curl", CURL, false, HASH_A, "curl", "https://example.test");
        assertThat(kinds(d.inspect(opened(curl, "example.test"))))
                .containsExactly(AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, AlertKind.FIRST_DOMAIN_OF_APP);
        assertThat(d.inspect(opened(curl, "example.test"))).isEmpty();
        assertThat(kinds(d.inspect(opened(curl, "other.test")))).containsExactly(AlertKind.FIRST_DOMAIN_OF_APP);
        assertThat(d.inspect(opened(curl, null))).isEmpty();

        // History knew wget and its domain; its hash changes, then changes back: two alerts.
        ProcessSnapshot wgetB = proc(11, "wget", "/usr/bin/wget", false, HASH_B);
        assertThat(d.inspect(opened(wgetB, "debian.org"))).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertKind.EXECUTABLE_HASH_CHANGED);
            assertThat(a.detail()).contains(HASH_A).contains(HASH_B);
        });
        assertThat(d.inspect(opened(wgetB, "debian.org"))).isEmpty();
        assertThat(kinds(d.inspect(opened(proc(12, "wget", "/usr/bin/wget", false, HASH_A), "debian.org"))))
                .containsExactly(AlertKind.EXECUTABLE_HASH_CHANGED);
        // An unreadable hash is not a change.
        assertThat(d.inspect(opened(proc(13, "wget", "/usr/bin/wget", false, null), "debian.org"))).isEmpty();

        ProcessSnapshot deleted = proc(14, "updater", "/opt/app/updater", true, HASH_A);
        assertThat(kinds(d.inspect(opened(deleted, null))))
                .containsExactly(AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, AlertKind.DELETED_EXECUTABLE);
        assertThat(d.inspect(opened(deleted, null))).isEmpty();

        ProcessSnapshot disguised = proc(15, "kworker/0:1", "/tmp/.x/miner", false, HASH_A, "kworker/0:1");
        assertThat(kinds(d.inspect(opened(disguised, null))))
                .containsExactly(AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, AlertKind.COMM_MISMATCH);
        assertThat(d.inspect(opened(disguised, null))).isEmpty();

        FlowEvent.Opened unknown = new FlowEvent.Opened(99, 1, Transport.TCP, 2, new InetEndpoint(InetAddress.getByName("10.0.0.1"), 1),
                new InetEndpoint(InetAddress.getByName("10.0.0.2"), 2), Direction.UNKNOWN, "CLOSE",
                Attribution.unknown("socket closed before it was seen (passive level)"), "x.test", InterceptionLevel.PASSIVE, 0);
        assertThat(d.inspect(unknown)).as("no process, no alert").isEmpty();
    }

    @Test
    void commRuleAcceptsTruncationVersionsSymlinksAndScriptsButNotArgv0() throws Exception {
        Path dash = Files.createFile(bin.resolve("dash"));
        Files.createSymbolicLink(bin.resolve("sh"), dash);
        CommCheck c = new CommCheck(List.of(bin));
        assertThat(c.matches(proc(1, "systemd-journal", "/usr/lib/systemd/systemd-journald", false, null).info())).isTrue();
        assertThat(c.matches(proc(1, "python3", "/usr/bin/python3.12", false, null).info())).isTrue();
        assertThat(c.matches(proc(1, "sh", dash.toString(), false, null).info())).as("symlink in a command dir").isTrue();
        assertThat(c.matches(proc(1, "backup.py", "/usr/bin/python3.12", false, null, "/usr/bin/python3", "/opt/backup.py").info()))
                .as("#! script").isTrue();
        assertThat(c.matches(proc(1, "sshd", "/tmp/evil", false, null, "sshd").info())).as("argv[0] is not trusted").isFalse();
        assertThat(c.matches(proc(1, "sshd", "/tmp/evil", false, null, "/tmp/evil", "sshd").info()))
                .as("argument names only count for interpreters").isFalse();
        assertThat(c.matches(proc(1, null, "/tmp/evil", false, null).info())).as("nothing to compare").isTrue();
    }

    @Test
    void memoryIsBounded() throws Exception {
        AlertDetector d = new AlertDetector(Map.of(), List.of(), 2, new CommCheck(List.of(bin)));
        for (int i = 0; i < 5; i++) {
            d.inspect(opened(proc(i, "app" + i, "/opt/app" + i, false, HASH_A), "d" + i + ".test"));
        }
        // app0 was forgotten (memory 2): it is "first" again, as documented.
        assertThat(kinds(d.inspect(opened(proc(0, "app0", "/opt/app0", false, HASH_A), null))))
                .containsExactly(AlertKind.FIRST_CONNECTION_OF_EXECUTABLE);
    }
}
