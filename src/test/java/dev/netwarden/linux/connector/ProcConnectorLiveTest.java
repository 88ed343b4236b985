package dev.netwarden.linux.connector;

import dev.netwarden.process.ProcessEventListener;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    void threadsAreNotReportedAsProcesses() throws Exception {
        Recorder rec = new Recorder();
        try (ProcConnector connector = ProcConnector.start(rec)) {
            Thread t = Thread.ofPlatform().start(() -> { });
            t.join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && connector.stats().threadEventsSkipped() < 2) {
                Thread.sleep(10);
            }
            assertThat(connector.stats().threadEventsSkipped()).isGreaterThanOrEqualTo(2); // its fork and its exit
            int self = (int) ProcessHandle.current().pid();
            assertThat(rec.forkParent).doesNotContainValue(self); // no process was forked by this JVM
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
