package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against the machine's real /proc, with child processes this test starts and stops by pid. The
 * socket lives in a network namespace created here (a {@link TestNamespace}) and deleted at the end;
 * it is a listener on 127.0.0.1 that never sees traffic.
 */
class ProcLiveTest {
    private static final String PYTHON = "/usr/bin/python3";
    /** Parent listens, forks (the child shares the socket), prints "fd childPid", then both sleep. */
    private static final String HOLDER = """
            import os, socket, time
            s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
            pid = os.fork()
            if pid == 0:
                time.sleep(60); os._exit(0)
            print(s.fileno(), pid, flush=True)
            time.sleep(60)
            """;

    private static boolean root;
    private static TestNamespace ns;
    private static Process holder;
    private static int holderPid;
    private static int forkedPid;
    private static int socketFd;
    private static long socketInode;

    @BeforeAll
    static void startHolder() throws Exception {
        root = Libc.geteuid() == 0;
        if (!root || !Files.isExecutable(Path.of(PYTHON))) {
            return;
        }
        ns = TestNamespace.create("proc");
        holder = ns.start(PYTHON, "-c", HOLDER);
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String[] line = out.readLine().trim().split(" ");
        socketFd = Integer.parseInt(line[0]);
        forkedPid = Integer.parseInt(line[1]);
        holderPid = (int) holder.pid();
        String link = Files.readSymbolicLink(Path.of("/proc", Integer.toString(holderPid), "fd", line[0])).toString();
        socketInode = Long.parseLong(link.substring("socket:[".length(), link.length() - 1));
    }

    @AfterAll
    static void stopHolder() {
        if (forkedPid > 0) {
            ProcessHandle.of(forkedPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (ns != null) {
            ns.close(); // stops the holder (by pid) and deletes the namespace
        }
    }

    private static void assumeHolder() {
        assumeTrue(root, "needs root: creates a network namespace");
        assumeTrue(holder != null, "needs " + PYTHON);
    }

    @Test
    void indexMapsTheSocketToTheProcessAndItsForkedChild() {
        assumeHolder();
        SocketHolderIndex index = new SocketHolderIndex();
        index.refresh();
        assertThat(index.holders(socketInode))
                .containsExactly(new SocketHolder(Math.min(holderPid, forkedPid), socketFd),
                        new SocketHolder(Math.max(holderPid, forkedPid), socketFd));
        assertThat(index.unreadableProcesses()).as("root reads every process").isZero();

        SocketHolderIndex single = new SocketHolderIndex(Path.of("/proc"), null, 1);
        single.refreshPid(holderPid);
        assertThat(single.holders(socketInode)).containsExactly(new SocketHolder(holderPid, socketFd));
    }

    @Test
    void processTableDescribesTheHolder() throws IOException {
        assumeHolder();
        ProcessInfo info = new ProcessTable().lookup(holderPid).orElseThrow();
        assertThat(info.pid()).isEqualTo(holderPid);
        assertThat(info.ppid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(info.exe()).isEqualTo(Path.of(PYTHON).toRealPath().toString());
        assertThat(info.exeDeleted()).isFalse();
        assertThat(info.cmdline()).containsExactly(PYTHON, "-c", HOLDER);
        assertThat(info.uid()).isZero();
        assertThat(info.user()).isEqualTo("root");
        assertThat(info.comm()).startsWith("python3");
        assertThat(info.startTicks()).isEqualTo(startTicksBySplitting(holderPid));

        ProcessInfo child = new ProcessTable().lookup(forkedPid).orElseThrow();
        assertThat(child.ppid()).isEqualTo(holderPid);
    }

    @Test
    void deletedExecutableIsFlagged(@TempDir Path tmp) throws Exception {
        Path exe = tmp.resolve("a b) c");
        Files.copy(Path.of("/bin/sleep"), exe);
        exe.toFile().setExecutable(true);
        Process p = new ProcessBuilder(exe.toString(), "30").start();
        try {
            Files.delete(exe);
            ProcessInfo info = new ProcessTable().lookup((int) p.pid()).orElseThrow();
            assertThat(info.exe()).isEqualTo(exe.toString());
            assertThat(info.exeDeleted()).isTrue();
            assertThat(info.comm()).isEqualTo("a b) c");
            assertThat(info.cmdline()).containsExactly(exe.toString(), "30");
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void exitedProcessIsEmpty() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        ProcessTable table = new ProcessTable();
        assertThat(table.lookup((int) p.pid())).isEmpty();
        SocketHolderIndex index = new SocketHolderIndex();
        index.refreshPid((int) p.pid());
        assertThat(index.processCount()).isZero();
    }

    @Test
    void asNobodyOtherUsersProcessesAreCountedUnreadable() throws Exception {
        assumeHolder();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop to nobody");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                UnreadableScanMain.class.getName(), Long.toString(socketInode)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assumeTrue(p.exitValue() == 0, "could not run java as nobody (class path not readable?): " + out);
        assertThat(out).contains("euid=65534").contains("holders=0");
        int unreadable = Integer.parseInt(out.replaceAll("(?s).*unreadable=(\\d+).*", "$1"));
        int processes = Integer.parseInt(out.replaceAll("(?s).*processes=(\\d+).*", "$1"));
        assertThat(unreadable).as(out).isGreaterThanOrEqualTo(2).isLessThan(processes);
    }

    /** Field 22 of /proc/PID/stat read the naive way (the comm here has no spaces). */
    private static long startTicksBySplitting(int pid) throws IOException {
        String[] fields = Files.readString(Path.of("/proc", Integer.toString(pid), "stat")).trim().split(" ");
        return Long.parseLong(fields[21]);
    }
}
