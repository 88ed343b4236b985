package dev.netwarden.linux.proc;

import dev.netwarden.process.SocketHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SocketHolderIndexFakeTreeTest {
    @TempDir
    Path tmp;

    private FakeProcTree tree() throws Exception {
        FakeProcTree tree = new FakeProcTree(tmp)
                .socketFd(100, 3, 5001).socketFd(100, 4, 5002).link(100, "fd/0", "anon_inode:[eventfd]").link(100, "fd/1", "pipe:[77]")
                .socketFd(200, 7, 5001) // shared after fork
                .link(300, "fd/0", "relative/file");
        Files.createDirectories(tmp.resolve("400"));
        Files.writeString(tmp.resolve("400/fd"), "not a directory"); // opening it fails: unreadable
        Files.createDirectories(tmp.resolve("sys"));
        return tree;
    }

    @Test
    void mapsEveryHolderOfEverySocket() throws Exception {
        SocketHolderIndex index = new SocketHolderIndex(tree().root(), null, 1);
        index.refresh();
        SocketHolderSnapshot snap = index.snapshot();
        assertThat(snap.holders(5001)).containsExactly(new SocketHolder(100, 3), new SocketHolder(200, 7));
        assertThat(snap.holders(5002)).containsExactly(new SocketHolder(100, 4));
        assertThat(snap.holders(77)).isEmpty();
        assertThat(snap.firstHolderPid(5001)).isEqualTo(100);
        assertThat(snap.firstHolderPid(9)).isEqualTo(-1);
        assertThat(snap.inodeCount()).isEqualTo(2);
        assertThat(snap.holderCount()).isEqualTo(3);
        assertThat(index.unreadableProcesses()).isEqualTo(1);
        assertThat(snap.unreadableProcesses()).isEqualTo(1);
        assertThat(index.processCount()).isEqualTo(4);
        List<String> visited = new ArrayList<>();
        snap.forEachHolder(5001, (pid, fd) -> visited.add(pid + "/" + fd));
        assertThat(visited).containsExactly("100/3", "200/7");
    }

    @Test
    void incrementalUpdates() throws Exception {
        FakeProcTree tree = tree();
        SocketHolderIndex index = new SocketHolderIndex(tree.root(), null, 2);
        index.refresh();
        SocketHolderSnapshot before = index.snapshot();

        tree.socketFd(300, 9, 6000);
        index.refreshPid(300);
        assertThat(index.holders(6000)).containsExactly(new SocketHolder(300, 9));
        assertThat(before.holders(6000)).as("snapshots are immutable").isEmpty();

        index.removePid(400);
        assertThat(index.unreadableProcesses()).isZero();
        index.removePid(200);
        assertThat(index.holders(5001)).containsExactly(new SocketHolder(100, 3));

        index.refreshPid(999); // never existed
        assertThat(index.processCount()).isEqualTo(2);

        index.refresh(); // back to the full picture, 400 unreadable again
        assertThat(index.holders(5001)).hasSize(2);
        assertThat(index.unreadableProcesses()).isEqualTo(1);
        assertThat(index.knownPids()).containsExactly(100, 200, 300, 400);
    }

    @Test
    void refreshPidHoldsConfirmsFromOneFreshScan() throws Exception {
        FakeProcTree tree = tree();
        SocketHolderIndex index = new SocketHolderIndex(tree.root(), null, 1);
        index.refresh();
        tree.socketFd(100, 8, 7001);
        assertThat(index.refreshPidHolds(100, 7001)).isTrue();
        assertThat(index.refreshPidHolds(100, 5001)).isTrue();
        assertThat(index.refreshPidHolds(200, 7001)).as("another process's socket").isFalse();
        assertThat(index.refreshPidHolds(400, 5001)).as("unreadable").isFalse();
        assertThat(index.refreshPidHolds(999, 5001)).as("gone").isFalse();
        assertThat(index.holders(7001)).containsExactly(new SocketHolder(100, 8));
    }

    @Test
    void knowsAnswersFromTheLastSnapshotAndTheChangedPidsWithoutANewFalseNo() throws Exception {
        FakeProcTree tree = tree();
        SocketHolderIndex index = new SocketHolderIndex(tree.root(), null, 1);
        index.refresh();
        assertThat(index.knows(5001)).isTrue(); // builds
        assertThat(index.knows(7001)).isFalse();
        tree.socketFd(300, 8, 7001);
        index.refreshPid(300);
        assertThat(index.knows(7001)).as("a changed pid's new socket").isTrue();
        assertThat(index.knows(5002)).as("an unchanged pid's socket, from the last snapshot").isTrue();
        assertThat(index.knows(7002)).isFalse();
        Files.delete(tmp.resolve("200/fd/7"));
        index.refreshPid(200);
        assertThat(index.knows(5001)).as("still held by 100").isTrue();
        index.removePid(100);
        assertThat(index.snapshot().contains(5001)).as("the snapshot is exact").isFalse();
        assertThat(index.knows(5001)).isFalse();
        for (int pid = 1000; pid < 1100; pid++) { // more changes than are tracked: a rebuild answers
            tree.socketFd(pid, 3, 8000 + pid);
            index.refreshPid(pid);
        }
        assertThat(index.knows(9099)).isTrue();
        assertThat(index.knows(9100)).isFalse();
    }

    @Test
    void containsAndHoldersAnswerExactlyWithoutRebuildingAfterFewChanges() throws Exception {
        FakeProcTree tree = tree();
        SocketHolderIndex index = new SocketHolderIndex(tree.root(), null, 1);
        index.refresh();
        index.snapshot();
        // a socket moves from 200 to 300 (200 closed it, 300 got it), 100 opens another, 300 shares 5002
        Files.delete(tmp.resolve("200/fd/7"));
        index.refreshPid(200);
        tree.socketFd(300, 4, 5001).socketFd(300, 5, 5002).socketFd(100, 9, 7001);
        index.refreshPid(300);
        index.refreshPid(100);
        long[] inodes = {5001, 5002, 7001, 6000, 77};
        List<List<SocketHolder>> incremental = new ArrayList<>();
        List<Boolean> contains = new ArrayList<>();
        for (long inode : inodes) {
            incremental.add(index.holders(inode));
            contains.add(index.contains(inode));
        }
        SocketHolderIndex fresh = new SocketHolderIndex(tree.root(), null, 1);
        fresh.refresh();
        for (int i = 0; i < inodes.length; i++) {
            assertThat(incremental.get(i)).as("holders of %d", inodes[i]).isEqualTo(fresh.snapshot().holders(inodes[i]));
            assertThat(contains.get(i)).as("contains %d", inodes[i]).isEqualTo(fresh.snapshot().contains(inodes[i]));
        }
        assertThat(incremental.get(0)).containsExactly(new SocketHolder(100, 3), new SocketHolder(300, 4));
        assertThat(incremental.get(1)).containsExactly(new SocketHolder(100, 4), new SocketHolder(300, 5));
        index.removePid(100);
        assertThat(index.holders(5001)).containsExactly(new SocketHolder(300, 4));
        assertThat(index.contains(7001)).isFalse();
    }

    @Test
    void refreshDropsGoneProcesses() throws Exception {
        FakeProcTree tree = tree();
        SocketHolderIndex index = new SocketHolderIndex(tree.root(), null, 1);
        index.refresh();
        Files.delete(tmp.resolve("200/fd/7"));
        Files.delete(tmp.resolve("200/fd"));
        Files.delete(tmp.resolve("200"));
        index.refresh();
        assertThat(index.holders(5001)).containsExactly(new SocketHolder(100, 3));
        assertThat(index.knownPids()).doesNotContain(200);
    }

    @Test
    void keepsOnlyWantedInodes() throws Exception {
        SocketHolderIndex index = new SocketHolderIndex(tree().root(), inode -> inode == 5002, 1);
        index.refresh();
        assertThat(index.snapshot().inodeCount()).isEqualTo(1);
        assertThat(index.holders(5002)).containsExactly(new SocketHolder(100, 4));
        assertThat(index.holders(5001)).isEmpty();
    }

    @Test
    void manyProcessesOnTwoThreadsGiveTheSameAnswerAsOne() throws Exception {
        FakeProcTree tree = new FakeProcTree(tmp);
        for (int pid = 1; pid <= 150; pid++) {
            for (int fd = 0; fd < 5; fd++) {
                tree.socketFd(pid, fd, 10_000L + (pid * 5L + fd) % 400); // heavy sharing
            }
        }
        SocketHolderIndex one = new SocketHolderIndex(tree.root(), null, 1);
        SocketHolderIndex two = new SocketHolderIndex(tree.root(), null, 2);
        one.refresh();
        two.refresh();
        assertThat(two.snapshot().holderCount()).isEqualTo(750);
        assertThat(two.snapshot().inodeCount()).isEqualTo(400);
        for (long inode = 10_000; inode < 10_400; inode++) {
            assertThat(two.holders(inode)).isEqualTo(one.holders(inode));
        }
    }

    @Test
    void missingProcRootIsAnError() {
        SocketHolderIndex index = new SocketHolderIndex(tmp.resolve("nope"), null, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(index::refresh).isInstanceOf(IllegalStateException.class);
    }
}
