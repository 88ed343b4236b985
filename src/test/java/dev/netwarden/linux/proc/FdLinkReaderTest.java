package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One fd link read through {@link ProcPath}'s buffer: the socket inode, or NOT_A_SOCKET for anything else. */
class FdLinkReaderTest {
    @TempDir
    Path root;

    @Test
    void readsTheSocketInodeOfAnFdInAFakeTree() {
        new FakeProcTree(root).socketFd(42, 3, 123456789L).socketFd(2147483647, 1048575, 7L)
                .link(42, "fd/4", "/dev/null").link(42, "fd/5", "pipe:[99]");
        FdLinkReader r = new FdLinkReader(root);
        assertThat(r.socketInode(42, 3)).isEqualTo(123456789L);
        assertThat(r.socketInode(2147483647, 1048575)).as("the largest pid, a large fd").isEqualTo(7L);
        assertThat(r.socketInode(42, 4)).isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(42, 5)).isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(42, 6)).as("no such fd").isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(43, 3)).as("no such process").isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(-42, 3)).isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(42, -3)).isEqualTo(SocketLink.NOT_A_SOCKET);
        assertThat(r.socketInode(42, 3)).as("after misses, the buffer is rewritten whole").isEqualTo(123456789L);
    }

    @Test
    void agreesWithTheJdkOnEveryFdOfThisProcess() throws IOException {
        try (ServerSocketChannel listening = ServerSocketChannel.open()) {
            listening.bind(null);
            int self = (int) ProcessHandle.current().pid();
            Map<Integer, Long> expected = new HashMap<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        expected.put(Integer.parseInt(fd.getFileName().toString()), target.startsWith("socket:[")
                                ? Long.parseLong(target.substring(8, target.length() - 1)) : SocketLink.NOT_A_SOCKET);
                    } catch (IOException closedMeanwhile) {
                        // the directory stream's own fd
                    }
                }
            }
            assertThat(expected.values()).as("the listening socket is among them").anyMatch(v -> v != SocketLink.NOT_A_SOCKET);
            FdLinkReader r = new FdLinkReader();
            expected.forEach((fd, inode) -> assertThat(r.socketInode(self, fd)).as("fd %d", fd).isEqualTo(inode));
        }
    }

    @Test
    void procPathWritesNamedAndNumberedEntriesOrNothing() {
        MemorySegment into = Arena.ofAuto().allocate(ProcPath.PATH_MAX + 1);
        byte[] proc = "/proc".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProcPath.write(into, proc, 0, "stat")).isTrue();
        assertThat(into.getString(0)).isEqualTo("/proc/0/stat");
        assertThat(ProcPath.writeNumbered(into, proc, 1234, "fd/", 0)).isTrue();
        assertThat(into.getString(0)).isEqualTo("/proc/1234/fd/0");
        assertThat(ProcPath.writeNumbered(into, proc, 2147483647, "fd/", 2147483647)).isTrue();
        assertThat(into.getString(0)).isEqualTo("/proc/2147483647/fd/2147483647");

        assertThat(ProcPath.writeNumbered(into, proc, 7, "fd/", -1)).isFalse();
        assertThat(into.getString(0)).as("unchanged").isEqualTo("/proc/2147483647/fd/2147483647");
        assertThat(ProcPath.write(into, proc, -7, "stat")).isFalse();
        byte[] longRoot = ("/" + "r".repeat(ProcPath.PATH_MAX - 9)).getBytes(StandardCharsets.US_ASCII);
        assertThat(ProcPath.writeNumbered(into, longRoot, 1, "fd/", 12)).as("exactly PATH_MAX").isTrue();
        assertThat(into.getString(0).length()).isEqualTo(ProcPath.PATH_MAX);
        assertThat(ProcPath.writeNumbered(into, longRoot, 1, "fd/", 123)).as("one byte over").isFalse();
    }
}
