package dev.netwarden.linux.bpf;

import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.ffm.Libc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The BPF task_file iterator against the real kernel: what it reports for a process must be exactly what
 * /proc/PID/fd shows, for one pid and in the machine-wide scan. Needs root (loading a tracing program).
 */
class TaskSocketIteratorLiveTest {
    private static Process holder;
    private static int holderPid;

    @BeforeAll
    static void startHolder() throws IOException {
        if (Libc.geteuid() != 0 || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return;
        }
        // 40 sockets of three families, a pipe and plain files between them: fds that are not sockets
        // must be skipped, sockets at any fd number found.
        holder = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, os, sys, time
                keep = []
                for i in range(20):
                    keep.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                    keep.append(open('/dev/null'))
                    keep.append(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) if i % 2 else socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
                keep.append(os.pipe())
                print('ready', flush=True)
                sys.stdin.read()
                """).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("ready");
        holderPid = (int) holder.pid();
    }

    @AfterAll
    static void stopHolder() throws InterruptedException {
        if (holder != null) {
            holder.destroy();
            holder.waitFor();
        }
    }

    private static TaskSocketIterator iterator() {
        assumeTrue(Libc.geteuid() == 0, "needs root: loads a BPF tracing program");
        assumeTrue(holder != null, "needs /usr/bin/python3");
        return TaskSocketIterator.system().orElseThrow(() ->
                new AssertionError("as root on a kernel with BTF the iterator must load: " + TaskSocketIterator.unavailableReason()));
    }

    @Test
    void onePidsSocketsAreExactlyThoseInProc() throws IOException {
        TaskSocketIterator it = iterator();
        Map<Integer, Long> fromBpf = new TreeMap<>();
        List<Integer> otherPids = new ArrayList<>();
        it.scanPid(holderPid, (pid, fd, inode) -> {
            if (pid != holderPid) {
                otherPids.add(pid);
            }
            fromBpf.put(fd, inode);
        });
        assertThat(otherPids).as("a pid scan reports only that pid").isEmpty();
        assertThat(fromBpf).hasSize(40).isEqualTo(procSockets(holderPid));
    }

    @Test
    void theMachineWideScanAgreesWithProcForEveryStableProcess() throws IOException {
        TaskSocketIterator it = iterator();
        Map<Integer, Map<Integer, Long>> fromBpf = new TreeMap<>();
        it.scanAll((pid, fd, inode) -> fromBpf.computeIfAbsent(pid, p -> new TreeMap<>()).put(fd, inode));
        assertThat(fromBpf.get(holderPid)).isEqualTo(procSockets(holderPid));
        // Other processes may open and close sockets meanwhile: the long-lived ones (pid 1, this JVM's
        // parent shell…) are compared where /proc, read again, still shows the same thing.
        Set<Integer> compared = new TreeSet<>();
        for (Map.Entry<Integer, Map<Integer, Long>> e : fromBpf.entrySet()) {
            Map<Integer, Long> before = procSockets(e.getKey());
            if (before.equals(e.getValue()) || !before.equals(procSockets(e.getKey()))) {
                compared.add(e.getKey());
                continue;
            }
            assertThat(e.getValue()).as("sockets of pid %d", e.getKey()).isEqualTo(before);
        }
        assertThat(compared).contains(holderPid);
    }

    @Test
    void aKeptLinkScansTheProcessAsItIsNowNotAsItWas() throws IOException {
        TaskSocketIterator it = iterator();
        int self = (int) ProcessHandle.current().pid();
        long[] before = it.pidLinkCounts();
        Map<Integer, Long> first = new TreeMap<>();
        it.scanPid(self, (pid, fd, inode) -> first.put(fd, inode));
        int fd = Libc.socket(Libc.state(), Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try {
            Map<Integer, Long> second = new TreeMap<>();
            it.scanPid(self, (pid, f, inode) -> second.put(f, inode));
            long[] after = it.pidLinkCounts();
            assertThat(after[1] - before[1]).as("the second scan of this pid reused the link").isGreaterThanOrEqualTo(1);
            assertThat(first).doesNotContainKey(fd);
            assertThat(second).containsKey(fd);
            assertThat(second.get(fd)).isEqualTo(procSockets(self).get(fd));
        } finally {
            Libc.close(Libc.state(), fd);
        }
        Map<Integer, Long> third = new TreeMap<>();
        it.scanPid(self, (pid, f, inode) -> third.put(f, inode));
        assertThat(third).doesNotContainKey(fd);
    }

    @Test
    void aGonePidHasNoSockets() throws IOException {
        TaskSocketIterator it = iterator();
        int[] records = new int[1];
        it.scanPid(Integer.MAX_VALUE - 7, (pid, fd, inode) -> records[0]++);
        assertThat(records[0]).isZero();
    }

    @Test
    void aWrongCachedLayoutIsCaughtByTheSelfTestAndReplacedFromTheBtf(@TempDir Path dir) throws IOException {
        TaskSocketIterator real = iterator();
        Path boot = dir.resolve("boot_id");
        Files.copy(Path.of("/proc/sys/kernel/random/boot_id"), boot);
        TaskSocketProgramCache cache = new TaskSocketProgramCache(dir.resolve("entry"), boot);
        TaskSocketProgram right = Btf.withVmlinux(TaskSocketProgram::of);
        // tgid read 8 bytes off: the verifier may accept it, the self-test must not
        cache.write(new TaskSocketProgram(right.taskTgid() + 8, right.fileInode(), right.inodeMode(), right.inodeIno(), right.attachBtfId()));
        try (TaskSocketIterator it = TaskSocketIterator.open(cache)) {
            Map<Integer, Long> fds = new TreeMap<>();
            it.scanPid(holderPid, (pid, fd, inode) -> fds.put(fd, inode));
            assertThat(fds).isEqualTo(procSockets(holderPid));
        }
        assertThat(cache.read()).contains(right);
        assertThat(real.toString()).doesNotContain("closed");
    }

    /** fd → socket inode of one process, from /proc (empty when it is gone). */
    private static Map<Integer, Long> procSockets(int pid) throws IOException {
        Map<Integer, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    out.put(Integer.parseInt(fd.getFileName().toString()),
                            Long.parseLong(target.substring(8, target.length() - 1)));
                }
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return out;
    }
}
