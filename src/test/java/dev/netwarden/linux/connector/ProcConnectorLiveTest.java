package dev.netwarden.linux.connector;

import dev.netwarden.process.ProcessEventListener;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real proc connector of this kernel (needs root: CAP_NET_ADMIN to listen). */
class ProcConnectorLiveTest {

    /** Records what the listener was told, per pid. */
    static final class Recorder implements ProcessEventListener {
        final Map<Integer, Integer> forkParent = new ConcurrentHashMap<>();
        final Set<Integer> execs = ConcurrentHashMap.newKeySet();
        final Map<Integer, Integer> exits = new ConcurrentHashMap<>();
        final AtomicInteger forksOf = new AtomicInteger();
        final AtomicInteger overruns = new AtomicInteger();
        volatile int watchedParent = -1;
        final AtomicInteger execsOfWatchedChildren = new AtomicInteger();
        final AtomicInteger exitsOfWatchedChildren = new AtomicInteger();

        @Override
        public void onFork(int parentPid, int childPid) {
            forkParent.put(childPid, parentPid);
            if (parentPid == watchedParent) {
                forksOf.incrementAndGet();
            }
        }

        @Override
        public void onExec(int pid) {
            execs.add(pid);
            Integer parent = forkParent.get(pid);
            if (parent != null && parent == watchedParent) {
                execsOfWatchedChildren.incrementAndGet();
            }
        }

        @Override
        public void onExit(int pid, int exitCode) {
            exits.put(pid, exitCode);
            Integer parent = forkParent.get(pid);
            if (parent != null && parent == watchedParent) {
                exitsOfWatchedChildren.incrementAndGet();
            }
        }

        @Override
        public void onOverrun() {
            overruns.incrementAndGet();
        }
    }

    @BeforeEach
    void root() {
        assumeTrue(TestNamespace.isRoot(), "listening to the proc connector needs root (CAP_NET_ADMIN); run as root (CI does)");
    }

    @Test
    void forkExecAndExitOfSpawnedProcessesArrive() throws Exception {
        Recorder rec = new Recorder();
        int self = (int) ProcessHandle.current().pid();
        List<Process> spawned = new ArrayList<>();
        try (ProcConnector connector = ProcConnector.start(rec)) {
            for (int i = 0; i < 20; i++) {
                spawned.add(new ProcessBuilder("/bin/sh", "-c", "exit " + (i % 4)).start());
            }
            for (Process p : spawned) {
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && !spawned.stream().allMatch(p -> rec.exits.containsKey((int) p.pid()))) {
                Thread.sleep(10);
            }
            for (int i = 0; i < spawned.size(); i++) {
                int pid = (int) spawned.get(i).pid();
                assertThat(rec.forkParent).as("fork of %d", pid).containsEntry(pid, self);
                assertThat(rec.execs).as("exec of %d", pid).contains(pid);
                assertThat(rec.exits).as("exit of %d", pid).containsKey(pid);
                assertThat(rec.exits.get(pid) >> 8).as("wait status of %d", pid).isEqualTo(i % 4);
            }
            assertThat(rec.overruns).hasValue(0);
            assertThat(connector.stats().dispatched()).isGreaterThanOrEqualTo(60);
        }
    }

    /**
     * The kernel applies {@link ProcEventFilter}: an unfiltered and a filtered socket listen side by
     * side while this JVM starts and ends 20 named threads and spawns 20 shells and one python3 that
     * calls setsid, setgid and setuid. The filtered socket receives no thread event and no id or
     * session change from anyone on the machine, and every fork, exec and exit of the spawned
     * processes; the unfiltered one shows the dropped kinds did happen.
     */
    @Test
    void theKernelFilterDropsThreadEventsAndIdChangesAndKeepsEveryProcessEvent() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        List<ProcEvent> raw = Collections.synchronizedList(new ArrayList<>());
        List<ProcEvent> filtered = Collections.synchronizedList(new ArrayList<>());
        List<Process> spawned = new ArrayList<>();
        try (ProcConnector unfiltered = ProcConnector.startRaw(raw::add, () -> { }, ProcConnector.Placement.INITIAL_NAMESPACE);
             ProcConnector withFilter = ProcConnector.open(filtered::add, () -> { }, ProcConnector.Placement.INITIAL_NAMESPACE, true)) {
            for (int i = 0; i < 20; i++) {
                Thread.ofPlatform().name("nw-filter-test-" + i).start(() -> { }).join();
            }
            for (int i = 0; i < 20; i++) {
                spawned.add(new ProcessBuilder("/bin/sh", "-c", "exit 0").start());
            }
            Process ids = new ProcessBuilder("python3", "-c", "import os; os.setsid(); os.setgid(65534); os.setuid(65534)").start();
            spawned.add(ids);
            for (Process p : spawned) {
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(ids.exitValue()).as("python3 changed its ids").isZero();
            Set<Integer> pids = spawned.stream().map(p -> (int) p.pid()).collect(Collectors.toSet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !(exitsOf(filtered).containsAll(pids) && exitsOf(raw).containsAll(pids))) {
                Thread.sleep(10);
            }
            assertThat(withFilter.stats().kernelFiltered()).isTrue();
            assertThat(unfiltered.stats().kernelFiltered()).isFalse();
        }
        List<ProcEvent> got = List.copyOf(filtered);
        List<ProcEvent> all = List.copyOf(raw);
        System.out.printf("proc connector filter: %d events without the filter, %d with it (machine-wide, same window)%n",
                all.size(), got.size());
        assertThat(got).as("thread events, id and session changes through the filter").noneMatch(e -> switch (e) {
            case ProcEvent.Fork f -> f.isThread();
            case ProcEvent.Exit x -> x.isThread();
            case ProcEvent.Comm c -> c.pid() != c.tgid();
            case ProcEvent.IdChange ignored -> true;
            case ProcEvent.Sid ignored -> true;
            case ProcEvent.Ptrace ignored -> true;
            case ProcEvent.Coredump ignored -> true;
            case ProcEvent.Unknown ignored -> true;
            default -> false;
        });
        assertThat(all.stream().filter(e -> e instanceof ProcEvent.Fork f && f.isThread() && f.childTgid() == self).count())
                .as("thread forks of this JVM without the filter").isGreaterThanOrEqualTo(20);
        int idsPid = (int) spawned.getLast().pid();
        assertThat(all).as("the id and session changes happened").anyMatch(e -> e instanceof ProcEvent.IdChange c && c.tgid() == idsPid)
                .anyMatch(e -> e instanceof ProcEvent.Sid c && c.tgid() == idsPid);
        for (Process p : spawned) {
            int pid = (int) p.pid();
            assertThat(got).as("fork of %d", pid).anyMatch(e -> e instanceof ProcEvent.Fork f && f.childPid() == pid && f.parentTgid() == self);
            assertThat(got).as("exec of %d", pid).anyMatch(e -> e instanceof ProcEvent.Exec x && x.pid() == pid);
            assertThat(got).as("exit of %d", pid).anyMatch(e -> e instanceof ProcEvent.Exit x && x.pid() == pid);
        }
    }

    private static Set<Integer> exitsOf(List<ProcEvent> events) {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof ProcEvent.Exit).map(e -> ((ProcEvent.Exit) e).pid()).collect(Collectors.toSet());
        }
    }

    /**
     * The rate measurement the brief asks for: 2,000 fork+exec+exit of /bin/true from one shell,
     * as fast as the shell goes; every one of the 6,000 process events must arrive, no overrun.
     */
    @Test
    void twoThousandSpawnsArriveWithoutLoss() throws Exception {
        Recorder rec = new Recorder();
        int n = 2000;
        try (ProcConnector connector = ProcConnector.start(rec)) {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c",
                    "read go; i=0; while [ $i -lt " + n + " ]; do /bin/true; i=$((i+1)); done");
            Process shell = pb.start();
            rec.watchedParent = (int) shell.pid();
            long start = System.nanoTime();
            shell.getOutputStream().write('\n');
            shell.getOutputStream().close();
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).as("2000 spawns within 60 s").isTrue();
            long spawnNanos = System.nanoTime() - start;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && rec.exitsOfWatchedChildren.get() < n) {
                Thread.sleep(10);
            }
            System.out.printf("proc connector: %d spawns in %d ms = %.0f spawns/s (%.0f events/s); forks %d execs %d exits %d overruns %d%n",
                    n, spawnNanos / 1_000_000, n * 1e9 / spawnNanos, 3 * n * 1e9 / spawnNanos,
                    rec.forksOf.get(), rec.execsOfWatchedChildren.get(), rec.exitsOfWatchedChildren.get(), rec.overruns.get());
            assertThat(rec.overruns).hasValue(0);
            assertThat(rec.forksOf).hasValue(n);
            assertThat(rec.execsOfWatchedChildren).hasValue(n);
            assertThat(rec.exitsOfWatchedChildren).hasValue(n);
        }
    }
}
