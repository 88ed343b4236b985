package dev.netwarden.intercept;

import dev.netwarden.testing.TestNamespace;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The root namespace's firewall as read-only commands print it (iptables-save, ip6tables-save, nft
 * list ruleset), without dates and counters: captured before and after the tests that intercept, to
 * prove they changed nothing outside their namespaces.
 */
public final class RootFirewallSnapshot {
    private RootFirewallSnapshot() {
    }

    public static String capture() throws IOException, InterruptedException {
        List<String> parts = new ArrayList<>();
        for (List<String> cmd : List.of(List.of("iptables-save"), List.of("ip6tables-save"), List.of("nft", "list", "ruleset"))) {
            String out;
            try {
                out = TestNamespace.run(cmd, 20);
            } catch (IOException e) {
                out = "unavailable: " + e.getMessage();
            }
            parts.add("== " + String.join(" ", cmd) + "\n" + normalize(out));
        }
        return String.join("\n", parts);
    }

    /** Drops "# Generated/Completed" lines and zeroes [packets:bytes] and nft counters. */
    public static String normalize(String saved) {
        return saved.lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]").replaceAll("counter packets \\d+ bytes \\d+", "counter"))
                .collect(Collectors.joining("\n"));
    }
}
