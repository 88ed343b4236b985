package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFileReaderTest {
    @TempDir
    Path root;

    private byte[] rootBytes() {
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsSmallEmptyAndMultiChunkFilesWhole() throws Exception {
        byte[] big = new byte[3 * 4096 + 17];
        new Random(7).nextBytes(big);
        new FakeProcTree(root).file(42, "stat", "42 (x) S 1".getBytes(StandardCharsets.US_ASCII))
                .file(42, "cmdline", big).file(42, "cgroup", new byte[0]);
        ProcFileReader r = ProcFileReader.forThisThread();
        assertThat(r.read(rootBytes(), 42, "stat")).isEqualTo("42 (x) S 1".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.read(rootBytes(), 42, "cmdline")).isEqualTo(big);
        assertThat(r.read(rootBytes(), 42, "cgroup")).isEmpty();
    }

    @Test
    void aMissingFileOrProcessIsNull() {
        new FakeProcTree(root).file(42, "stat", new byte[]{'1'});
        ProcFileReader r = ProcFileReader.forThisThread();
        assertThat(r.read(rootBytes(), 42, "status")).isNull();
        assertThat(r.read(rootBytes(), 43, "stat")).isNull();
        assertThat(r.read(rootBytes(), -1, "stat")).isNull();
    }

    @Test
    void readsThisProcessFromTheRealProc() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        byte[] stat = ProcFileReader.forThisThread().read("/proc".getBytes(StandardCharsets.US_ASCII), self, "stat");
        assertThat(new String(stat, StandardCharsets.US_ASCII)).startsWith(self + " (");
        assertThat(ProcStatParser.parse(stat).startTicks())
                .isEqualTo(ProcStatParser.parse(Files.readAllBytes(Path.of("/proc/self/stat"))).startTicks());
    }
}
