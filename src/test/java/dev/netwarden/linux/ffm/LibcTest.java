package dev.netwarden.linux.ffm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each call against the real kernel: through the one {@code syscall} downcall, every wrapper behaves like
 * the C function of its name (arguments in the right registers, results and errno as documented).
 */
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

    @Test
    void udpOnLoopbackThroughSocketBindGetsocknameSendtoAndRecv() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.socket(st, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            assertThat(fd).as("errno %d", st.errno()).isGreaterThanOrEqualTo(0);
            try {
                MemorySegment sin = loopbackAddress(arena, 0);
                assertThat(Libc.bind(st, fd, sin, (int) sin.byteSize())).as("errno %d", st.errno()).isZero();
                MemorySegment bound = arena.allocate(16);
                MemorySegment len = arena.allocateFrom(JAVA_INT, 16);
                assertThat(Libc.getsockname(st, fd, bound, len)).isZero();
                assertThat(len.get(JAVA_INT, 0)).isEqualTo(16);
                int port = Short.toUnsignedInt(Short.reverseBytes(bound.get(JAVA_SHORT_UNALIGNED, 2)));
                assertThat(port).isPositive();

                MemorySegment message = arena.allocateFrom("netwarden");
                MemorySegment to = loopbackAddress(arena, port);
                assertThat(Libc.sendto(st, fd, message, 9, 0, to, 16)).isEqualTo(9);
                MemorySegment in = arena.allocate(64);
                assertThat(Libc.recv(st, fd, in, in.byteSize(), Libc.MSG_DONTWAIT)).isEqualTo(9);
                assertThat(in.getString(0)).isEqualTo("netwarden");
                assertThat(Libc.sendto(st, fd, message, 9, 0, to, 16)).isEqualTo(9);
                MemorySegment from = arena.allocate(16);
                MemorySegment fromLen = arena.allocateFrom(JAVA_INT, 16);
                assertThat(Libc.recvfrom(st, fd, in, in.byteSize(), Libc.MSG_DONTWAIT, from, fromLen)).isEqualTo(9);
                assertThat(from.asSlice(0, 8).toArray(JAVA_BYTE)).as("the sender: ourselves")
                        .isEqualTo(to.asSlice(0, 8).toArray(JAVA_BYTE));
                // Nothing left: a non-blocking recv fails with EAGAIN in errno.
                assertThat(Libc.recv(st, fd, in, in.byteSize(), Libc.MSG_DONTWAIT)).isEqualTo(-1);
                assertThat(st.errno()).isEqualTo(Errno.EAGAIN);
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    @Test
    void socketOptionsRoundTripThroughSetsockoptAndGetsockopt() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.socket(st, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            try {
                assertThat(Libc.setsockoptInt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 65536)).isZero();
                MemorySegment value = arena.allocate(JAVA_INT);
                MemorySegment len = arena.allocateFrom(JAVA_INT, 4);
                assertThat(Libc.getsockopt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, value, len)).isZero();
                // The kernel doubles the requested size for its bookkeeping (socket(7)).
                assertThat(value.get(JAVA_INT, 0)).isEqualTo(131072);
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    @Test
    void mmapMapsAFileAndMunmapReleasesIt() throws Exception {
        Path file = Files.createTempFile("netwarden-libc", ".bin");
        try (Arena arena = Arena.ofConfined()) {
            Files.write(file, "mapped by netwarden".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.openat(st, Libc.AT_FDCWD, arena.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            MemorySegment map = Libc.mmap(st, 19, Libc.PROT_READ, Libc.MAP_PRIVATE, fd, 0);
            Libc.close(st, fd);
            assertThat(map).isNotNull();
            assertThat(new String(map.toArray(JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("mapped by netwarden");
            assertThat(Libc.munmap(st, map)).isZero();

            assertThat(Libc.mmap(st, 19, Libc.PROT_READ, Libc.MAP_PRIVATE, -1, 0)).isNull();
            assertThat(st.errno()).isEqualTo(Errno.EBADF);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aHeapSegmentIsRefusedBeforeTheKernelSeesItsAddress() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            MemorySegment heap = MemorySegment.ofArray(new byte[64]);
            assertThatThrownBy(() -> Libc.read(st, 0, heap, 64))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("heap segment");
        }
    }

    /** A struct sockaddr_in for 127.0.0.1 and {@code port}. */
    private static MemorySegment loopbackAddress(Arena arena, int port) {
        MemorySegment sin = arena.allocate(16);
        sin.set(JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_INET);
        sin.set(JAVA_SHORT_UNALIGNED, 2, Short.reverseBytes((short) port));
        sin.set(JAVA_BYTE, 4, (byte) 127);
        sin.set(JAVA_BYTE, 7, (byte) 1);
        return sin;
    }
}
