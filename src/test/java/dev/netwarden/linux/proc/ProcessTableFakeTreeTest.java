package dev.netwarden.linux.proc;

import dev.netwarden.process.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

class ProcessTableFakeTreeTest {
    private static final String ID = "3f4e1b2a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

    @TempDir
    Path tmp;

    @Test
    void readsARecordedProcessWithADeletedExe() {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(4922, "comm-with-paren")
                .link(4922, "exe", "/tmp/tmp.lEPhbqpO0x/a b) c (deleted)");
        ProcessTable table = new ProcessTable(tree.root(), UserNames.parse(Fixtures.real("passwd")));

        ProcessInfo info = table.lookup(4922).orElseThrow();

        assertThat(info.pid()).isEqualTo(4922);
        assertThat(info.ppid()).isEqualTo(1);
        assertThat(info.comm()).isEqualTo("a b) c");
        assertThat(info.uid()).isZero();
        assertThat(info.user()).isEqualTo("root");
        assertThat(info.exe()).isEqualTo("/tmp/tmp.lEPhbqpO0x/a b) c");
        assertThat(info.exeDeleted()).isTrue();
        assertThat(info.cmdline()).containsExactly("/tmp/tmp.lEPhbqpO0x/a b) c", "300");
        assertThat(info.startTicks()).isEqualTo(35578);
        assertThat(info.cgroup()).isEqualTo("/");
        assertThat(info.containerId()).isNull();
    }

    @Test
    void basicDetailSkipsCmdlineAndCgroup() {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(4922, "comm-with-paren")
                .link(4922, "exe", "/tmp/tmp.lEPhbqpO0x/a b) c (deleted)");
        UserNames users = UserNames.parse(Fixtures.real("passwd"));
        ProcessInfo full = new ProcessTable(tree.root(), users, ProcessTable.Detail.FULL).lookup(4922).orElseThrow();
        ProcessInfo basic = new ProcessTable(tree.root(), users, ProcessTable.Detail.BASIC).lookup(4922).orElseThrow();

        assertThat(full.cmdline()).isNotEmpty();
        assertThat(full.cgroup()).isNotNull();
        assertThat(basic).isEqualTo(new ProcessInfo(full.pid(), full.ppid(), full.uid(), full.user(), full.comm(),
                full.exe(), full.exeDeleted(), java.util.List.of(), full.startTicks(), null, null));
    }

    @Test
    void kernelThreadHasNoExeAndNoArgv() {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(2, "kthreadd");
        ProcessInfo info = new ProcessTable(tree.root(), UserNames.none()).lookup(2).orElseThrow();
        assertThat(info.exe()).isNull();
        assertThat(info.cmdline()).isEmpty();
        assertThat(info.displayName()).isEqualTo("kthreadd");
        assertThat(info.user()).isEqualTo("0");
    }

    @Test
    void partiallyReadableProcessKeepsWhatCouldBeRead() {
        // only stat exists (status, exe, cmdline, cgroup missing as if unreadable); cgroup garbage
        FakeProcTree tree = new FakeProcTree(tmp).file(77, "stat", Fixtures.real("kthreadd.stat"))
                .file(77, "cgroup", ascii("garbage"));
        ProcessInfo info = new ProcessTable(tree.root(), UserNames.none()).lookup(77).orElseThrow();
        assertThat(info.uid()).isEqualTo(-1);
        assertThat(info.user()).isNull();
        assertThat(info.exe()).isNull();
        assertThat(info.cgroup()).isNull();
        assertThat(info.startTicks()).isEqualTo(24);
    }

    @Test
    void containerProcess() {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(9, "init")
                .file(9, "cgroup", ascii("0::/system.slice/docker-" + ID + ".scope\n"));
        ProcessInfo info = new ProcessTable(tree.root(), UserNames.none()).lookup(9).orElseThrow();
        assertThat(info.containerId()).isEqualTo(ID);
    }

    @Test
    void missingOrBrokenProcessIsEmptyAndNotCached() {
        FakeProcTree tree = new FakeProcTree(tmp).file(5, "stat", ascii("garbage"));
        ProcessTable table = new ProcessTable(tree.root(), UserNames.none());
        assertThat(table.lookup(5)).isEmpty();
        assertThat(table.lookup(6)).isEmpty();
        assertThat(table.cachedCount()).isZero();
    }

    @Test
    void cachesUntilForgotten() {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(2, "kthreadd").recorded(1, "init");
        ProcessTable table = new ProcessTable(tree.root(), UserNames.none());
        ProcessInfo first = table.lookup(2).orElseThrow();
        tree.file(2, "stat", Fixtures.real("init.stat"));
        assertThat(table.lookup(2).orElseThrow()).isSameAs(first);
        table.forget(2);
        assertThat(table.lookup(2).orElseThrow().comm()).isEqualTo("process_api");
    }

    @Test
    void listsNumericEntriesAndForgetsExited() throws Exception {
        FakeProcTree tree = new FakeProcTree(tmp).recorded(2, "kthreadd").recorded(10, "init").recorded(3, "init");
        java.nio.file.Files.createDirectories(tmp.resolve("net"));
        java.nio.file.Files.createDirectories(tmp.resolve("self1"));
        ProcessTable table = new ProcessTable(tree.root(), UserNames.none());
        assertThat(table.listPids()).containsExactly(2, 3, 10);
        table.lookup(3);
        table.lookup(10);
        try (var files = java.nio.file.Files.walk(tmp.resolve("3"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        table.forgetExited();
        assertThat(table.cachedCount()).isEqualTo(1);
    }
}
