package dev.netwarden.monitor;

import com.sun.management.OperatingSystemMXBean;
import dev.netwarden.flow.DomainLookup;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU of the passive monitor (whole JVM process CPU, so GC and JIT count) over SECONDS at idle and
 * under a bounded storm of RATE new TCP connections/s in a test namespace, with EXTRA sleeping
 * processes added to the machine's so owner resolution scans a few hundred processes. Run by hand
 * as root: {@code java -cp ... PassiveMonitorCpuBench [SECONDS RATE EXTRA]}; prints ms CPU per s.
 */
public final class PassiveMonitorCpuBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int extra = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Process> sleepers = new ArrayList<>();
        CollectingSink sink = new CollectingSink();
        try (TestNamespace ns = TestNamespace.create("mon-cpu")) {
            for (int i = 0; i < extra; i++) {
                sleepers.add(new ProcessBuilder("sleep", Integer.toString(3 * seconds + 30)).start());
            }
            AtomicLong ids = new AtomicLong();
            try (PassiveMonitor m = PassiveMonitor.open(sink, DomainLookup.NONE, new ProcTableDirectory(), ids::incrementAndGet,
                    new AlertDetector(Map.of(), List.of(), 1000, new CommCheck()), MonitorConfig.defaults(),
                    NetNamespace.named(ns.name()))) {
                m.start();
                Thread.sleep(2000);
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double idle = perSecond(os.getProcessCpuTime() - cpu0, System.nanoTime() - wall0);
                PassiveMonitor.Stats idleStats = m.stats();

                Path storm = Path.of(PassiveMonitorCpuBench.class.getResource("storm.py").toURI());
                Process p = ns.start("python3", storm.toString(), "127.0.0.1", "7500", Integer.toString(rate), Integer.toString(seconds));
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
                String ready = out.readLine();
                long cpu1 = os.getProcessCpuTime();
                long wall1 = System.nanoTime();
                String done = out.readLine();
                p.waitFor(seconds + 30L, TimeUnit.SECONDS);
                double busy = perSecond(os.getProcessCpuTime() - cpu1, System.nanoTime() - wall1);
                Thread.sleep(1500);
                PassiveMonitor.Stats s = m.stats();
                System.out.printf("processes on the machine: ~%d (+%d sleepers)%n", ManagementFactory.getRuntimeMXBean().getPid() > 0 ? countProcs() : 0, extra);
                System.out.printf("idle:  %.2f ms CPU/s over %d s; poller %s%n", idle, seconds, idleStats.poller());
                System.out.printf("storm: %.2f ms CPU/s over %d s (%s, %s)%n", busy, seconds, ready, done);
                System.out.printf("stats: %s%n", s);
            }
        } finally {
            for (Process p : sleepers) {
                p.destroy();
            }
        }
    }

    private static long countProcs() throws Exception {
        try (var s = java.nio.file.Files.list(Path.of("/proc"))) {
            return s.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).count();
        }
    }

    private static double perSecond(long cpuNanos, long wallNanos) {
        return cpuNanos / 1e6 / (wallNanos / 1e9);
    }
}
