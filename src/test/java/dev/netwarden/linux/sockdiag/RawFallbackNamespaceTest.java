package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The /proc fallback for RAW sockets reads the calling thread's namespace, as the netlink path does:
 * a throw-away thread setns()es into a test namespace holding a raw socket of protocol 253 and must
 * see it there, though the process (its main thread) stays in the namespace it started in. The thread
 * ends afterwards, so no thread of this JVM stays in the namespace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawFallbackNamespaceTest {
    private static final String RAW_HOLDER = """
            import signal, socket, sys
            signal.alarm(50)
            r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
            print('ready', flush=True)
            sys.stdin.read()
            """;

    @Test
    void readsTheRawTableOfTheCallingThreadsNamespace() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates a network namespace and setns()es a thread into it");
        try (TestNamespace ns = TestNamespace.create("raw")) {
            Process holder = ns.start("python3", "-c", RAW_HOLDER);
            String ready = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(ready).as("raw socket holder (null: it failed, see stderr)").isEqualTo("ready");

            List<SocketEntry> inNamespace = new ArrayList<>();
            NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
                SockDiag.dumpRawFromProc(SockDiagQuery.of(Netid.RAW), -1, inNamespace::add);
                return null;
            });

            assertThat(inNamespace).as("the namespace's raw socket of protocol 253")
                    .anyMatch(e -> e.local() != null && e.local().port() == 253);
            List<SocketEntry> here = new ArrayList<>();
            SockDiag.dumpRawFromProc(SockDiagQuery.of(Netid.RAW), -1, here::add);
            assertThat(here).as("this thread's own namespace (the root one) does not hold it")
                    .noneMatch(e -> e.local() != null && e.local().port() == 253
                            && inNamespace.stream().anyMatch(n -> n.inode() == e.inode()));
        }
    }
}
