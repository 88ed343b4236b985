package dev.netwarden.daemon;

import dev.netwarden.daemon.config.ConfigLoader;
import dev.netwarden.daemon.config.DaemonConfig;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.history.HistoryQuery;
import dev.netwarden.history.HistoryReader;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.linux.connector.ProcConnector;
import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon without process events: where the kernel refuses the proc connector (a container's own
 * pid or user namespace), the processes service warns and the monitor finds new processes by listing
 * /proc. The refusal here is the kernel's own: the connector socket is opened in a test network
 * namespace instead of the initial one, and the kernel answers the subscription with ECONNREFUSED
 * (see {@link ProcConnector}'s class doc). The daemon's monitor services run in-process, in that
 * namespace, as {@code DaemonRun.services} orders them; a process started after the daemon connects
 * there and must still be attributed, with {@code processes.following} false in {@code status}.
 */
class ProcessEventsFallbackTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void withTheProcConnectorRefusedConnectionsAreStillAttributedByListingProc() throws Exception {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "needs root: network namespaces and sock_diag");
        Path configFile = Files.writeString(dir.resolve("netwarden.toml"), "");
        DaemonConfig config = ConfigLoader.load(configFile, List.of(
                ConfigLoader.Override.parseSet("daemon.data_dir=" + dir.resolve("data")),
                ConfigLoader.Override.parseSet("dns.sniff=false"),
                ConfigLoader.Override.parseSet("monitor.poll_interval=200ms"),
                ConfigLoader.Override.parseSet("history.flush_interval=100ms")));
        AtomicReference<IOException> refusal = new AtomicReference<>();
        ProcessEventsService processes = new ProcessEventsService(config.monitor(), listener -> {
            try {
                return ProcConnector.start(listener, ProcConnector.Placement.CALLER_NAMESPACE);
            } catch (IOException e) {
                refusal.set(e);
                throw e;
            }
        });
        HistoryService history = new HistoryService(config.daemon().dataDir(), config.history());
        DnsService dns = new DnsService(config.dns());
        MonitorService monitor = new MonitorService(config.monitor(), history, dns, processes);
        Daemon daemon = new Daemon(List.of(history, dns, processes, monitor));
        ControlHandlers handlers = new ControlHandlers();
        handlers.register(StatusOp.OP, new StatusOp(daemon, config, Namespaces.current()));

        try (TestNamespace ns = TestNamespace.create("proc-refused")) {
            NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
                daemon.start();
                return null;
            });
            try {
                assertThat(refusal.get()).as("the kernel refused the subscription").isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
                JsonNode before = status(handlers);
                assertThat(before.at("/services/processes/following").asBoolean(true)).isFalse();
                assertThat(before.at("/services/processes/connector_failure").asString()).contains("connection refused");
                assertThat(before.at("/services/processes/connector").isMissingNode()).isTrue();

                // Both started after the daemon: no exec event announced them, only a listing of /proc can.
                Process server = ns.start("python3", "-u", "-c", """
                        import socket, time
                        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        s.bind(('127.0.0.1', 9100)); s.listen(8); print('ready')
                        c, _ = s.accept(); time.sleep(30)""");
                assertThat(lines(server).readLine()).isEqualTo("ready");
                Process client = ns.start("python3", "-u", "-c", """
                        import socket, time
                        c = socket.create_connection(('127.0.0.1', 9100)); print('connected'); time.sleep(30)""");
                assertThat(lines(client).readLine()).isEqualTo("connected");
                String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(client.pid()), "exe")).toString();

                HistoryReader.ConnectionRecord row = awaitOutbound(config.daemon().dataDir(), 9100);
                assertThat(row).as("the client's connection in history").isNotNull();
                assertThat(row.pid()).isEqualTo((int) client.pid());
                assertThat(row.exe()).isEqualTo(exe);
                assertThat(row.cmdline()).contains("-c");
                assertThat(row.unknownReason()).isNull();

                JsonNode after = status(handlers);
                assertThat(after.at("/services/processes/following").asBoolean(true)).isFalse();
                assertThat(findLong(after.at("/services/monitor"), "proc_listings"))
                        .as("new processes were found by listing /proc: %s", after.at("/services/monitor")).isPositive();
            } finally {
                daemon.close();
            }
        }
    }

    private static JsonNode status(ControlHandlers handlers) {
        JsonNode reply = JSON.readTree(handlers.dispatch("{\"op\":\"status\"}"));
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        return reply;
    }

    /** The value of the first field named {@code name} anywhere below {@code node}, or -1. */
    private static long findLong(JsonNode node, String name) {
        JsonNode found = node.findValue(name);
        return found == null ? -1 : found.asLong();
    }

    private static BufferedReader lines(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Polls history (read-only, as {@code netwarden history} does) for an outbound TCP connection to {@code port} with a pid. */
    private static HistoryReader.ConnectionRecord awaitOutbound(Path dataDir, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (HistoryStore ro = HistoryStore.openReadOnly(dataDir)) {
                for (HistoryReader.ConnectionRecord r : new HistoryReader(ro).connections(HistoryQuery.between(0, Long.MAX_VALUE)
                        .withTransport("tcp").withDirection("outbound").withPort(port))) {
                    if (r.pid() != null) {
                        return r;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(200);
        }
    }
}
