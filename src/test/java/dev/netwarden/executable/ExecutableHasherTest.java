package dev.netwarden.executable;

import dev.netwarden.testing.TestProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes, real binaries (no root needed: the test hashes its own children). */
class ExecutableHasherTest {
    private static final Path SLEEP = Path.of("/bin/sleep").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void sameBinaryViaTwoPidsIsHashedOnce() throws Exception {
        ExecutableHasher hasher = new ExecutableHasher();
        Process a = new ProcessBuilder(SLEEP.toString(), "30").start();
        Process b = new ProcessBuilder(SLEEP.toString(), "30").start();
        try {
            Path real = SLEEP.toRealPath();
            TestProcesses.awaitExe(a, real);
            TestProcesses.awaitExe(b, real);
            ExecutableHash ha = hasher.hash((int) a.pid());
            ExecutableHash hb = hasher.hash((int) b.pid());
            assertThat(ha.sha256()).isEqualTo(TestProcesses.sha256(real)).isEqualTo(hb.sha256());
            assertThat(ha.file()).isEqualTo(hb.file());
            assertThat(hasher.stats().hashesComputed()).isEqualTo(1);
            assertThat(hasher.stats().cacheHits()).isEqualTo(1);
        } finally {
            TestProcesses.stop(a);
            TestProcesses.stop(b);
        }
    }

    @Test
    void twoThreadsHashingTheSameNewFileReadItOnce() throws Exception {
        ExecutableHasher hasher = new ExecutableHasher();
        Process a = new ProcessBuilder(SLEEP.toString(), "30").start();
        Process b = new ProcessBuilder(SLEEP.toString(), "30").start();
        try {
            TestProcesses.awaitExe(a, SLEEP.toRealPath());
            TestProcesses.awaitExe(b, SLEEP.toRealPath());
            PinnedExecutable pa = hasher.pin((int) a.pid());
            PinnedExecutable pb = hasher.pin((int) b.pid());
            assertThat(pa.isResolved()).isFalse();
            assertThat(pb.isResolved()).isFalse();
            CompletableFuture<ExecutableHash> fa = CompletableFuture.supplyAsync(() -> hasher.hash(pa));
            CompletableFuture<ExecutableHash> fb = CompletableFuture.supplyAsync(() -> hasher.hash(pb));
            assertThat(fa.get().sha256()).isEqualTo(fb.get().sha256()).isNotNull();
            assertThat(hasher.stats().hashesComputed()).isEqualTo(1);
        } finally {
            TestProcesses.stop(a);
            TestProcesses.stop(b);
        }
    }

    @Test
    void copyWithDifferentContentHashesDifferently() throws Exception {
        ExecutableHasher hasher = new ExecutableHasher();
        Path copy = tmp.resolve("sleep-changed");
        Files.copy(SLEEP, copy);
        Files.write(copy, new byte[] {42}, StandardOpenOption.APPEND); // trailing bytes: still runs
        copy.toFile().setExecutable(true);
        Process original = new ProcessBuilder(SLEEP.toString(), "30").start();
        Process changed = new ProcessBuilder(copy.toString(), "30").start();
        try {
            TestProcesses.awaitExe(original, SLEEP.toRealPath());
            TestProcesses.awaitExe(changed, copy);
            String a = hasher.hash((int) original.pid()).sha256();
            String b = hasher.hash((int) changed.pid()).sha256();
            assertThat(b).isEqualTo(TestProcesses.sha256(copy)).isNotEqualTo(a);
            assertThat(hasher.stats().hashesComputed()).isEqualTo(2);
        } finally {
            TestProcesses.stop(original);
            TestProcesses.stop(changed);
        }
    }

    @Test
    void binaryDeletedWhileRunningIsStillHashed() throws Exception {
        Path copy = tmp.resolve("sleep-doomed");
        Files.copy(SLEEP, copy);
        copy.toFile().setExecutable(true);
        String before = TestProcesses.sha256(copy);
        Process p = new ProcessBuilder(copy.toString(), "30").start();
        try {
            TestProcesses.awaitExe(p, copy);
            Files.delete(copy);
            assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "exe")).toString()).endsWith("(deleted)");
            ExecutableHash h = new ExecutableHasher().hash((int) p.pid());
            assertThat(h.error()).isNull();
            assertThat(h.sha256()).isEqualTo(before);
        } finally {
            TestProcesses.stop(p);
        }
    }

    @Test
    void largeBinaryIsStreamed() throws Exception {
        Path big = tmp.resolve("sleep-big");
        Files.copy(SLEEP, big);
        Files.write(big, new byte[5 * 1024 * 1024 + 123], StandardOpenOption.APPEND);
        big.toFile().setExecutable(true);
        Process p = new ProcessBuilder(big.toString(), "30").start();
        try {
            TestProcesses.awaitExe(p, big);
            ExecutableHasher hasher = new ExecutableHasher();
            assertThat(hasher.hash((int) p.pid()).sha256()).isEqualTo(TestProcesses.sha256(big));
            assertThat(hasher.stats().bytesHashed()).isEqualTo(Files.size(big));
        } finally {
            TestProcesses.stop(p);
        }
    }

    @Test
    void aPinnedExecutableIsHashedAfterTheProcessExitedAndTheFileWasDeleted() throws Exception {
        Path copy = tmp.resolve("sleep-short");
        Files.copy(SLEEP, copy);
        copy.toFile().setExecutable(true);
        String before = TestProcesses.sha256(copy);
        Process p = new ProcessBuilder(copy.toString(), "30").start();
        ExecutableHasher hasher = new ExecutableHasher();
        PinnedExecutable pinned;
        try {
            TestProcesses.awaitExe(p, copy);
            pinned = hasher.pin((int) p.pid());
        } finally {
            TestProcesses.stop(p);
        }
        Files.delete(copy);
        assertThat(hasher.hash(pinned).sha256()).isEqualTo(before);
    }

    @Test
    void failuresAreReasonsNotExceptions() throws Exception {
        ExecutableHasher hasher = new ExecutableHasher();
        Process p = new ProcessBuilder("/bin/true").start();
        p.waitFor();
        ExecutableHash gone = hasher.hash((int) p.pid());
        assertThat(gone.sha256()).isNull();
        assertThat(gone.error()).contains("exited");
        ExecutableHash kthreadd = hasher.hash(2); // a kernel thread has no executable
        assertThat(kthreadd.sha256()).isNull();
        assertThat(kthreadd.error()).isNotBlank();
    }

    @Test
    void cacheIsBounded() throws Exception {
        ExecutableHasher hasher = new ExecutableHasher(Path.of("/proc"), 1);
        Path copy = tmp.resolve("sleep-other");
        Files.copy(SLEEP, copy);
        copy.toFile().setExecutable(true);
        Process a = new ProcessBuilder(SLEEP.toString(), "30").start();
        Process b = new ProcessBuilder(copy.toString(), "30").start();
        try {
            TestProcesses.awaitExe(a, SLEEP.toRealPath());
            TestProcesses.awaitExe(b, copy);
            hasher.hash((int) a.pid());
            hasher.hash((int) b.pid());
            hasher.hash((int) a.pid()); // evicted by b: read again
            assertThat(hasher.stats().hashesComputed()).isEqualTo(3);
            assertThat(hasher.stats().cached()).isEqualTo(1);
        } finally {
            TestProcesses.stop(a);
            TestProcesses.stop(b);
        }
    }
}
