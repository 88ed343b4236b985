package dev.netwarden.linux.connector;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Why {@link ProcConnector} places its socket in pid 1's network namespace: in any other namespace
 * the connector does not exist. If a kernel ever changes that, the first test fails and the
 * placement can be revisited.
 */
class ProcConnectorNamespaceTest {

    @BeforeEach
    void root() {
        assumeTrue(TestNamespace.isRoot(), "namespaces and the proc connector need root; run as root (CI does)");
    }

    @Test
    void inAnotherNetworkNamespaceTheConnectorRefusesTheListenRequest() throws Exception {
        try (TestNamespace ns = TestNamespace.create("cnproc")) {
            assertThatThrownBy(() -> NetNamespace.callIn(NetNamespace.named(ns.name()),
                    () -> ProcConnector.startRaw(e -> { }, () -> { }, ProcConnector.Placement.CALLER_NAMESPACE)))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
        }
    }

    @Test
    void theDefaultPlacementDeliversEventsToAProcessInAnotherNamespace() throws Exception {
        try (TestNamespace ns = TestNamespace.create("cnproc")) {
            CountDownLatch sawChild = new CountDownLatch(1);
            int[] childPid = {-1};
            ProcConnector connector = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
                assertThat(ProcConnector.inInitialNetNamespace()).isFalse();
                return ProcConnector.startRaw(e -> {
                    if (e instanceof ProcEvent.Exec x && x.tgid() == childPid[0]) {
                        sawChild.countDown();
                    }
                }, () -> { }, ProcConnector.Placement.INITIAL_NAMESPACE);
            });
            try (connector) {
                Process p = new ProcessBuilder("/bin/sh", "-c", "read x").start();
                childPid[0] = (int) p.pid();
                p.getOutputStream().close();
                assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
                // the exec may have raced the assignment of childPid; spawn until one is seen (bounded)
                for (int i = 0; i < 20 && sawChild.getCount() > 0; i++) {
                    Process q = new ProcessBuilder("/bin/true").start();
                    childPid[0] = (int) q.pid();
                    q.waitFor(5, TimeUnit.SECONDS);
                    sawChild.await(200, TimeUnit.MILLISECONDS);
                }
                assertThat(sawChild.await(1, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
