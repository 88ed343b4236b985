package dev.netwarden.intercept;

import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The nftables change notifications, from the real kernel, in a namespace this test creates: a change
 * made with iptables there is seen (its notifications carry iptables' port id, not the kernel's);
 * reading the ruleset is not a change; a change in another namespace is not seen.
 */
@ExtendWith(RootFirewallUnchanged.class)
class RulesetWatchLiveTest {
    @BeforeAll
    static void root() {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates network namespaces and changes iptables in them");
        assumeTrue(InterceptLiveTest.hasCommand("iptables"), "needs iptables (Debian package iptables)");
    }

    @Test
    void seesChangesInItsNamespaceOnlyAndNotReads() throws Exception {
        try (TestNamespace watched = TestNamespace.create("rswatch");
             TestNamespace other = TestNamespace.create("rsother")) {
            AtomicInteger calls = new AtomicInteger();
            try (RulesetWatch watch = NetNamespace.callIn(NetNamespace.named(watched.name()),
                    () -> RulesetWatch.start(calls::incrementAndGet))) {
                watched.exec(10, "iptables", "-w", "5", "-t", "mangle", "-N", "NWTEST");
                assertThat(watch.awaitChangesAfter(0, 3_000)).as("a new chain is notified").isTrue();
                long afterAdd = watch.changes();

                watched.exec(10, "iptables", "-w", "5", "-t", "mangle", "-S");
                watched.exec(10, "iptables-save");
                other.exec(10, "iptables", "-w", "5", "-t", "mangle", "-N", "NWOTHER");
                assertThat(watch.awaitChangesAfter(afterAdd, 500)).as("reads and other namespaces are no change").isFalse();

                watched.exec(10, "iptables", "-w", "5", "-t", "mangle", "-X", "NWTEST");
                assertThat(watch.awaitChangesAfter(afterAdd, 3_000)).as("a deleted chain is notified").isTrue();
                assertThat(calls.get()).isEqualTo((int) watch.changes());
                assertThat(watch.isRunning()).isTrue();
            }
        }
    }
}
