package dev.netwarden.monitor;

import dev.netwarden.flow.Attribution;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last-sole-holder shortcut of {@link SocketOwners}: a new socket of the process that made the
 * previous connection is confirmed in that process's fds alone and its snapshot reused, but only while
 * nothing could make the answer differ from the hot-set rescan. A fake /proc (symlinks
 * {@code PID/fd/N -> socket:[INODE]}) and a counting process directory.
 */
class SocketOwnersLastOwnerTest {
    @TempDir
    Path proc;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger snapshotReads = new AtomicInteger();
    private final Map<Integer, ProcessInfo> processes = new ConcurrentHashMap<>();

    private void socket(int pid, int fd, long inode) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of("socket:[" + inode + "]"));
    }

    private void process(int pid, int ppid, String exe) {
        processes.put(pid, new ProcessInfo(pid, ppid, 0, "root", exe.substring(exe.lastIndexOf('/') + 1), exe, false,
                List.of(exe), 1000 + pid, "", null));
    }

    private SocketOwners owners() {
        SocketOwners owners = new SocketOwners(new SocketHolderIndex(proc, null, 1), pid -> {
            snapshotReads.incrementAndGet();
            ProcessInfo i = processes.get(pid);
            return i == null ? Optional.empty() : Optional.of(new ProcessSnapshot(i, "ab".repeat(32), null, List.of()));
        }, 0, nanos::get);
        owners.beginRound();
        return owners;
    }

    private static int pidOf(Attribution a) {
        return a.process() == null ? -1 : a.process().info().pid();
    }

    @Test
    void aConnectRecordsProcessIsReadWithoutAHolderSearchAndWaitsForItsHashOnlyWhenAllowed() {
        process(700, 1, "/usr/bin/curl");
        java.util.List<String> calls = new java.util.ArrayList<>();
        SocketOwners owners = new SocketOwners(new SocketHolderIndex(proc, null, 1), new dev.netwarden.process.ProcessDirectory() {
            @Override
            public Optional<ProcessSnapshot> snapshot(int pid) {
                calls.add("wait " + pid);
                return read(pid);
            }

            @Override
            public Optional<ProcessSnapshot> snapshotWithoutWaiting(int pid) {
                calls.add("no-wait " + pid);
                return read(pid);
            }

            private Optional<ProcessSnapshot> read(int pid) {
                ProcessInfo i = processes.get(pid);
                return i == null ? Optional.empty() : Optional.of(new ProcessSnapshot(i, null, "hash still being computed after 0 ms", List.of()));
            }
        }, 0, nanos::get);
        owners.beginRound();
        assertThat(owners.ownerByPid(700, false).process().info().exe()).isEqualTo("/usr/bin/curl");
        assertThat(owners.ownerByPid(700, true).process().info().exe()).isEqualTo("/usr/bin/curl");
        assertThat(calls).as("a pending hash is not cached: each answer asks again, the way it was allowed to")
                .containsExactly("no-wait 700", "wait 700");
        assertThat(owners.ownerByPid(701, true)).isNull();
        assertThat(owners.ownerByPid(0, true)).isNull();
        assertThat(owners.stats().connectRecordHits()).isEqualTo(2);
        assertThat(owners.stats().fullRescans()).isZero();
        assertThat(owners.stats().hotRescans()).isZero();
    }

    @Test
    void newSocketOfTheLastOwnerIsConfirmedInItsFdsAndItsSnapshotReused() throws Exception {
        process(100, 1, "/usr/bin/storm");
        socket(100, 3, 5001);
        SocketOwners owners = owners();
        owners.onExec(7); // events arrive (any process)
        assertThat(pidOf(owners.resolve(5001, true))).isEqualTo(100);
        int reads = snapshotReads.get();

        socket(100, 4, 5002);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5002, true))).isEqualTo(100);
        socket(100, 5, 5003);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5003, true))).isEqualTo(100);
        assertThat(owners.stats().lastOwnerHits()).isEqualTo(2);
        assertThat(snapshotReads.get()).as("snapshot reused within the TTL").isEqualTo(reads);
        assertThat(owners.stats().ownerCacheHits()).isEqualTo(2);

        nanos.addAndGet(SocketOwners.OWNER_TTL_NANOS + 1);
        socket(100, 6, 5004);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5004, true))).isEqualTo(100);
        assertThat(snapshotReads.get()).as("read again after the TTL").isEqualTo(reads + 1);
    }

    @Test
    void anExecOfTheOwnerIsReadAgain() throws Exception {
        process(100, 1, "/usr/bin/storm");
        socket(100, 3, 5001);
        SocketOwners owners = owners();
        owners.onExec(7);
        owners.resolve(5001, true);
        socket(100, 4, 5002);
        owners.beginRound();
        owners.resolve(5002, true); // cached now
        process(100, 1, "/usr/bin/other");
        owners.onExec(100);
        socket(100, 5, 5003);
        owners.beginRound();
        assertThat(owners.resolve(5003, true).process().info().exe()).isEqualTo("/usr/bin/other");
    }

    @Test
    void aSocketTheLastOwnerDoesNotHoldIsFoundWhereItIs() throws Exception {
        process(100, 1, "/usr/bin/storm");
        process(200, 1, "/usr/bin/curl");
        socket(100, 3, 5001);
        socket(200, 3, 6001);
        SocketOwners owners = owners();
        owners.onExec(7);
        owners.resolve(5001, true);
        socket(200, 4, 6002);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(6002, true))).isEqualTo(200);
        assertThat(owners.stats().lastOwnerHits()).isZero();
    }

    @Test
    void afterTheOwnerForkedTheChildThatSharesTheSocketIsChosen() throws Exception {
        process(100, 1, "/usr/bin/server");
        socket(100, 3, 5001);
        SocketOwners owners = owners();
        owners.onExec(7);
        owners.resolve(5001, true);
        // 100 creates a socket, forks 101 which inherits it: the child is the one using it
        process(101, 100, "/usr/bin/server");
        socket(100, 4, 5002);
        socket(101, 4, 5002);
        owners.onFork(100, 101);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5002, true))).isEqualTo(101);
        assertThat(owners.stats().lastOwnerHits()).isZero();
    }

    @Test
    void withoutProcessEventsTheShortcutIsNotTaken() throws Exception {
        process(100, 1, "/usr/bin/storm");
        socket(100, 3, 5001);
        SocketOwners owners = owners(); // no event ever arrives: a fork could go unseen
        owners.resolve(5001, true);
        socket(100, 4, 5002);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5002, true))).isEqualTo(100);
        assertThat(owners.stats().lastOwnerHits()).isZero();
    }
}
