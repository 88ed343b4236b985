package dev.netwarden.intercept;

import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.testing.TestNamespace;

import java.util.List;

/**
 * Loopback connection storm in a fresh namespace: no rules, then netwarden's rules with the
 * accept-all InterceptLoop. Prints nwb-storm's report for each. Run by bench/intercept-storm.sh.
 * Args: path to nwb-storm, connections K, in flight C.
 */
public final class InterceptBench {
    public static void main(String[] args) throws Exception {
        String storm = args[0];
        String k = args[1];
        String c = args[2];
        for (String scenario : List.of("none", "intercept")) {
            try (TestNamespace ns = TestNamespace.create("bench")) {
                ns.exec(10, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=1024 65535");
                ns.start(storm, "server", "-a", "127.0.0.1", "-P", "9000", "-m", "8", "-t", "120");
                Thread.sleep(300);
                InterceptLoop loop = null;
                if (scenario.equals("intercept")) {
                    InterceptRules.of(InterceptRules.Options.outbound(0, FailPolicy.CLOSED), ns.inside(List.of())).install();
                    NfQueue q = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> NfQueue.open(NfQueueConfig.headersOnly(0, false), 100));
                    loop = InterceptLoop.start(q, p -> Verdict.ACCEPT, FailPolicy.CLOSED);
                }
                ns.exec(60, storm, "client", "-a", "127.0.0.1", "-P", "9000", "-m", "8", "-k", "300", "-c", c, "-t", "20"); // warm-up
                long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
                String out = ns.exec(90, storm, "client", "-a", "127.0.0.1", "-P", "9000", "-m", "8", "-k", k, "-c", c, "-t", "60", "-L", scenario);
                long cpu1 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
                System.out.println("== " + scenario + (loop == null ? "" : "  counters=" + loop.counters()));
                System.out.print(out);
                if (loop != null) {
                    System.out.printf("bench JVM cpu during storm: %.1f ms (%.1f us/conn; includes this JVM's idle threads)%n",
                            (cpu1 - cpu0) / 1e6, (cpu1 - cpu0) / 1e3 / Integer.parseInt(k));
                    loop.close();
                }
            }
        }
    }
}
