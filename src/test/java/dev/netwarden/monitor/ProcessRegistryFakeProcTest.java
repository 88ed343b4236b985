package dev.netwarden.monitor;

import dev.netwarden.executable.ExecutableHasher;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.testing.TestProcesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pid reuse, grace period and bounds, on a /proc tree the test writes (a real kernel cannot be
 * made to reuse a given pid on demand). The executables are real files, hashed for real.
 */
class ProcessRegistryFakeProcTest {
    @TempDir
    Path tmp;
    Path proc;
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    ProcessRegistry registry;

    @BeforeEach
    void setUp() throws IOException {
        proc = Files.createDirectories(tmp.resolve("proc"));
        ProcessRegistry.Config config = new ProcessRegistry.Config(Duration.ofSeconds(120), 2, 16, Duration.ofSeconds(5), 16);
        registry = new ProcessRegistry(proc, UserNames.parse("root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n"
                .getBytes(StandardCharsets.UTF_8)), new ExecutableHasher(proc, 64), config, clock::get);
    }

    /** Writes /proc/PID as the kernel would for a process with this identity. */
    private Path process(int pid, int ppid, String comm, long startTicks, int uid, String exeContent) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S " + ppid
                + " 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 " + startTicks + " 1000 100\n");
        Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        Files.write(dir.resolve("cmdline"), (comm + "\0--flag\0").getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("cgroup"), "0::/user.slice\n");
        Path exe = tmp.resolve("bin-" + comm + "-" + startTicks);
        Files.writeString(exe, exeContent);
        Files.deleteIfExists(dir.resolve("exe"));
        Files.createSymbolicLink(dir.resolve("exe"), exe);
        return exe;
    }

    private void vanish(int pid) throws IOException {
        try (var files = Files.list(proc.resolve(Integer.toString(pid)))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(proc.resolve(Integer.toString(pid)));
    }

    @Test
    void aReusedPidNeverGetsTheOldIdentity() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        Path oldExe = process(100, 1, "old", 500, 0, "old binary");
        registry.onExec(100);
        ProcessSnapshot old = registry.snapshot(100).orElseThrow();
        assertThat(old.info().comm()).isEqualTo("old");
        assertThat(old.sha256()).isEqualTo(TestProcesses.sha256(oldExe));
        // The old process exits without an event reaching us (overrun) and the pid is reused.
        vanish(100);
        Path newExe = process(100, 1, "new", 900, 65534, "new binary");
        ProcessSnapshot now = registry.snapshot(100).orElseThrow();
        assertThat(now.info().comm()).isEqualTo("new");
        assertThat(now.info().user()).isEqualTo("nobody");
        assertThat(now.sha256()).isEqualTo(TestProcesses.sha256(newExe));
        // The old one is still there for whoever asks for it exactly, as an exited process.
        assertThat(registry.snapshot(100, 500)).get().extracting(s -> s.info().comm()).isEqualTo("old");
        assertThat(registry.snapshot(100, 901)).isEmpty();
    }

    @Test
    void sameStartTimeButNewCommIsReadAgain() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        process(100, 1, "sh", 500, 0, "shell");
        registry.onFork(1, 100);
        process(100, 1, "curl", 500, 0, "curl binary"); // exec'd; its event not handled yet
        assertThat(registry.snapshot(100).orElseThrow().info().comm()).isEqualTo("curl");
    }

    @Test
    void exitedProcessesAreKeptForTheGracePeriodThenForgotten() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        process(100, 1, "brief", 500, 0, "brief binary");
        registry.onExec(100);
        vanish(100);
        registry.onExit(100, 0);
        assertThat(registry.snapshot(100)).get().extracting(s -> s.info().comm()).isEqualTo("brief");
        assertThat(registry.stats().exitedInGrace()).isEqualTo(1);
        clock.addAndGet(Duration.ofSeconds(121).toNanos());
        assertThat(registry.snapshot(100)).isEmpty();
        assertThat(registry.stats().exitedInGrace()).isZero();
    }

    @Test
    void exitedProcessesAreBoundedInCount() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        for (int pid = 100; pid < 105; pid++) {
            process(pid, 1, "p" + pid, 500 + pid, 0, "same binary");
            registry.onExec(pid);
            vanish(pid);
            registry.onExit(pid, 0);
        }
        assertThat(registry.stats().exitedInGrace()).isEqualTo(2); // maxExited
        assertThat(registry.snapshot(100)).isEmpty();
        assertThat(registry.snapshot(104)).isPresent();
    }

    @Test
    void parentChainIsNearestFirstAndStopsAtAYoungerPid() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        process(50, 1, "sshd", 100, 0, "sshd binary");
        process(60, 50, "bash", 200, 0, "bash binary");
        process(70, 60, "curl", 300, 0, "curl binary");
        registry.onExec(70);
        assertThat(registry.snapshot(70).orElseThrow().parents())
                .extracting(ProcessSnapshot.ParentLink::comm).containsExactly("bash", "sshd", "init");
        // a "parent" that started after the child is a reused pid, not the parent
        process(80, 90, "orphan", 400, 0, "x");
        process(90, 1, "younger", 450, 0, "y");
        registry.onExec(80);
        assertThat(registry.snapshot(80).orElseThrow().parents()).isEmpty();
    }

    @Test
    void resyncRetiresProcessesWhoseExitWasLostAndReadsNewOnes() throws IOException {
        process(1, 0, "init", 1, 0, "init binary");
        process(100, 1, "lost", 500, 0, "x");
        registry.onExec(100);
        vanish(100);
        process(101, 1, "unseen", 600, 0, "y");
        registry.resync();
        ProcessRegistry.Stats stats = registry.stats();
        assertThat(stats.exitedInGrace()).isEqualTo(1);
        assertThat(stats.known()).isEqualTo(2); // init and unseen
        assertThat(stats.resyncs()).isEqualTo(1);
    }
}
