package dev.netwarden.linux.proc;

import dev.netwarden.linux.bpf.TaskSocketIterator;
import dev.netwarden.linux.bpf.TaskSocketProgram;
import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.process.SocketHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The index read through the BPF iterator answers exactly as the one read from /proc: the same holders
 * for a process's sockets after a full refresh, a new socket found by a one-pid refresh, a process
 * without sockets still known, an exited one forgotten. Needs root.
 */
class SocketHolderIndexBpfLiveTest {
    private Process holder;
    private BufferedReader out;
    private Writer in;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Libc.geteuid() == 0, "needs root: the BPF iterator loads a tracing program");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        assumeTrue(TaskSocketIterator.system().isPresent(), "BPF iterator unavailable: " + TaskSocketIterator.unavailableReason());
        // Each line on stdin: "s" opens one more socket and prints its fd; "c" closes every socket.
        holder = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, sys
                keep = []
                print('ready', flush=True)
                for line in sys.stdin:
                    if line.strip() == 's':
                        keep.append(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                        print(keep[-1].fileno(), flush=True)
                    else:
                        for s in keep: s.close()
                        keep.clear()
                        print('closed', flush=True)
                """).start();
        out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(holder.getOutputStream(), StandardCharsets.UTF_8);
        assertThat(out.readLine()).isEqualTo("ready");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    private String ask(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return out.readLine();
    }

    private long inodeOf(int fd) throws IOException {
        String t = Files.readSymbolicLink(Path.of("/proc", Long.toString(holder.pid()), "fd", Integer.toString(fd))).toString();
        return Long.parseLong(t.substring(8, t.length() - 1));
    }

    @Test
    void fullRefreshGivesTheSameHoldersAsProc() throws IOException {
        int fd1 = Integer.parseInt(ask("s"));
        int fd2 = Integer.parseInt(ask("s"));
        SocketHolderIndex viaBpf = new SocketHolderIndex();
        SocketHolderIndex viaProc = new SocketHolderIndex(Path.of("/proc"), null, 2);
        assertThat(viaBpf.usesBpf()).isTrue();
        assertThat(viaProc.usesBpf()).isFalse();
        viaBpf.refresh();
        viaProc.refresh();
        int pid = (int) holder.pid();
        for (int fd : new int[] {fd1, fd2}) {
            long inode = inodeOf(fd);
            assertThat(viaBpf.holders(inode)).containsExactly(new SocketHolder(pid, fd)).isEqualTo(viaProc.holders(inode));
        }
        assertThat(viaBpf.knownPids()).contains(pid, (int) ProcessHandle.current().pid(), 1);
    }

    @Test
    void anIteratorThatFailsIsDroppedForProcAndTheAnswersStayRight() throws Exception {
        int fd = Integer.parseInt(ask("s"));
        long inode = inodeOf(fd);
        int pid = (int) holder.pid();
        TaskSocketIterator own = TaskSocketIterator.load(Btf.withVmlinux(TaskSocketProgram::of));
        SocketHolderIndex index = new SocketHolderIndex(own);
        index.refresh();
        assertThat(index.usesBpf()).isTrue();
        own.close(); // from now on every scan through it fails
        int fd2 = Integer.parseInt(ask("s"));
        assertThat(index.refreshPidHolds(pid, inodeOf(fd2))).as("found through /proc after the failure").isTrue();
        assertThat(index.usesBpf()).as("given up for good").isFalse();
        index.refresh();
        assertThat(index.holders(inode)).containsExactly(new SocketHolder(pid, fd));
    }

    @Test
    void onePidRefreshFindsANewSocketKeepsASocketlessProcessAndDropsAnExitedOne() throws IOException, InterruptedException {
        SocketHolderIndex index = new SocketHolderIndex();
        index.refresh();
        int pid = (int) holder.pid();
        int fd = Integer.parseInt(ask("s"));
        long inode = inodeOf(fd);
        assertThat(index.knows(inode)).isFalse();
        assertThat(index.refreshPidHolds(pid, inode)).isTrue();
        assertThat(index.holders(inode)).containsExactly(new SocketHolder(pid, fd));

        assertThat(ask("c")).isEqualTo("closed");
        index.refreshPid(pid);
        assertThat(index.holders(inode)).isEmpty();
        assertThat(index.knownPids()).as("alive without sockets: still known").contains(pid);

        holder.destroyForcibly();
        holder.waitFor();
        index.refreshPid(pid);
        assertThat(index.knownPids()).as("exited: forgotten").doesNotContain(pid);
    }
}
