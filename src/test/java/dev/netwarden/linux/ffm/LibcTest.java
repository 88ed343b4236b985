package dev.netwarden.linux.ffm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Each downcall against the real kernel: the lazily linked handles link and behave like the C functions. */
class LibcTest {
    @Test
    void readsProcSelfThroughOpenatGetdentsReadlinkatReadAndClose() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            MemorySegment buf = arena.allocate(4096);

            int dir = Libc.openat(st, Libc.AT_FDCWD, arena.allocateFrom("/proc/self/fd"), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            assertThat(dir).isGreaterThanOrEqualTo(0);
            assertThat(Libc.getdents64(st, dir, buf, buf.byteSize())).isPositive();
            assertThat(Libc.close(st, dir)).isZero();

            long n = Libc.readlinkat(st, Libc.AT_FDCWD, arena.allocateFrom("/proc/self/exe"), buf, buf.byteSize());
            assertThat(n).isPositive();
            String exe = new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            assertThat(exe).isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString());

            int fd = Libc.openat(st, Libc.AT_FDCWD, arena.allocateFrom("/proc/self/comm"), Libc.O_RDONLY | Libc.O_CLOEXEC);
            assertThat(Libc.read(st, fd, buf, buf.byteSize())).isPositive();
            assertThat(Libc.close(st, fd)).isZero();
        }
    }

    @Test
    void failedCallLeavesErrnoInTheCallState() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.openat(st, Libc.AT_FDCWD, arena.allocateFrom("/nonexistent/netwarden-test"), Libc.O_RDONLY);
            assertThat(fd).isEqualTo(-1);
            assertThat(st.errno()).isEqualTo(Errno.ENOENT);
            assertThat(Libc.close(st, -1)).isEqualTo(-1);
            assertThat(st.errno()).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void geteuidIsTheProcessOwner() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertThat(Libc.geteuid()).isEqualTo(uid);
    }
}
