package dev.netwarden.linux.bpf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TaskSocketProgramCacheTest {
    @TempDir
    Path dir;

    private TaskSocketProgramCache cache(String bootId) throws IOException {
        Path boot = dir.resolve("boot_id");
        Files.writeString(boot, bootId + "\n");
        return new TaskSocketProgramCache(dir.resolve("run/netwarden/task-socket-program"), boot);
    }

    @Test
    void anEntryIsReadBackInTheSameBootOnly() throws IOException {
        TaskSocketProgram p = new TaskSocketProgram(2500, 40, 0, 64, 777);
        cache("boot-a").write(p);
        assertThat(cache("boot-a").read()).contains(p);
        assertThat(cache("boot-b").read()).as("another boot: maybe another kernel").isEmpty();
        try (var files = Files.list(dir.resolve("run/netwarden"))) {
            assertThat(files).as("no temp file left").hasSize(1);
        }
    }

    @Test
    void aMissingOrGarbledEntryIsNoEntry() throws IOException {
        TaskSocketProgramCache c = cache("boot-a");
        assertThat(c.read()).isEmpty();
        Files.createDirectories(dir.resolve("run/netwarden"));
        for (String garbage : new String[] {"", "boot-a 1 2 3", "boot-a 1 2 3 4 x", "boot-a 1 2 3 4 5 6"}) {
            Files.writeString(dir.resolve("run/netwarden/task-socket-program"), garbage);
            assertThat(c.read()).as(garbage).isEmpty();
        }
        c.write(new TaskSocketProgram(1, 2, 3, 4, 5));
        c.forget();
        assertThat(c.read()).isEmpty();
    }

    @Test
    void anUnwritableDirectoryOnlyMeansNoCache() throws IOException {
        Path boot = dir.resolve("boot_id");
        Files.writeString(boot, "boot-a\n");
        Files.writeString(dir.resolve("file"), "x");
        TaskSocketProgramCache c = new TaskSocketProgramCache(dir.resolve("file/sub/entry"), boot);
        c.write(new TaskSocketProgram(1, 2, 3, 4, 5));
        assertThat(c.read()).isEmpty();
    }
}
