package dev.netwarden.cli;

import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code netwarden firewall cleanup}, run as its own JVM inside a test namespace with leftover chains. */
class FirewallCleanupCommandTest {
    @Test
    void removesLeftoverChainsAndSaysWhat() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root for network namespaces and iptables");
        try (TestNamespace ns = TestNamespace.create("fw-clean")) {
            ns.exec(10, "iptables", "-t", "mangle", "-N", "NETWARDEN-OUT");
            ns.exec(10, "iptables", "-t", "mangle", "-A", "NETWARDEN-OUT", "-j", "NFQUEUE", "--queue-num", "0");
            ns.exec(10, "iptables", "-t", "mangle", "-I", "OUTPUT", "1", "-j", "NETWARDEN-OUT");
            ns.exec(10, "ip6tables", "-t", "mangle", "-N", "NETWARDEN-IN");
            ns.exec(10, "ip6tables", "-t", "mangle", "-A", "INPUT", "-j", "NETWARDEN-IN");
            ns.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "-j", "MARK", "--set-mark", "1");

            String json = ns.exec(60, command("--json"));
            assertThat(json.strip()).isEqualTo("{\"removed\":[\"ipv4 mangle: removed jump OUTPUT -j NETWARDEN-OUT\","
                    + "\"ipv4 mangle: removed chain NETWARDEN-OUT\",\"ipv6 mangle: removed jump INPUT -j NETWARDEN-IN\","
                    + "\"ipv6 mangle: removed chain NETWARDEN-IN\"]}");
            assertThat(ns.exec(10, "iptables-save", "-t", "mangle")).doesNotContain("NETWARDEN").contains("--set-xmark 0x1");
            assertThat(ns.exec(60, command()).strip()).isEqualTo("no netwarden rules found");
        }
    }

    private static List<String> command(String... extra) {
        List<String> args = new ArrayList<>(List.of("firewall", "cleanup"));
        args.addAll(List.of(extra));
        return TestNamespace.javaCommand(Main.class, args.toArray(String[]::new));
    }
}
