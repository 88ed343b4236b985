package dev.netwarden.history;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.netwarden.history.Events.opened;
import static org.assertj.core.api.Assertions.assertThat;

/** A full disk loses the batch, says so, and the writer carries on once there is room again. Root: mounts a tmpfs. */
class HistoryWriterDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskCountsTheLostRowsAndWritingResumesWhenSpaceIsFreed() throws Exception {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "needs root to mount a small tmpfs as the data directory");
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "nw-history-full", mnt.toString());
        try {
            try (HistoryStore store = HistoryStore.open(mnt);
                 HistoryWriter w = HistoryWriter.start(store, HistoryWriter.Options.defaults()
                         .withFlushInterval(Duration.ofMillis(20)).withBatchSize(64).withRetention(null))) {
                Path filler = mnt.resolve("filler");
                fill(filler);
                String big = "x".repeat(8192);
                for (int i = 1; i <= 64; i++) {
                    w.publish(opened(i, HistoryWriterTest.T0 + i, Transport.TCP, "10.0.0.9", 80, Direction.OUTBOUND,
                            Attribution.unknown(big + i), null));
                }
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                WriterStats full = w.stats();
                assertThat(full.lost()).isEqualTo(64);
                assertThat(full.writeErrors()).isEqualTo(1);
                assertThat(full.written()).isZero();
                assertThat(full.lastError()).startsWith("disk full (SQLITE_FULL) writing " + mnt.resolve("history.db"));

                Files.delete(filler);
                for (int i = 65; i <= 74; i++) {
                    w.publish(opened(i, HistoryWriterTest.T0 + i, Transport.TCP, "10.0.0.9", 80, Direction.OUTBOUND,
                            Attribution.unknown("r" + i), "after.test"));
                }
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(w.stats().written()).isEqualTo(10);
                assertThat(w.stats().lost()).isEqualTo(64);
                assertThat(HistoryWriterTest.longs(store, "SELECT COUNT(*), MIN(id) FROM connections"))
                        .containsExactly(10L, 65L);
            }
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static void fill(Path filler) {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException expected) {
            // No space left on device: the file system is full
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }
}
