package dev.netwarden.daemon.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlServerTest {
    private static final Duration T = Duration.ofSeconds(5);
    @TempDir
    Path dir;
    private Path socket;
    private ControlServer server;
    private final AtomicInteger counter = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("control.sock");
        ControlHandlers handlers = new ControlHandlers();
        handlers.register("echo", (req, reply) -> reply.set("got", req));
        handlers.register("count", (req, reply) -> reply.put("n", counter.incrementAndGet()));
        handlers.register("refuse", (req, reply) -> {
            throw new ControlException("refused: no reason");
        });
        handlers.register("wait", (req, reply) -> {
            try {
                reply.put("released", gate.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new ControlException("interrupted");
            }
        });
        server = new ControlServer(socket, handlers, 1024, Duration.ofMillis(800));
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void roundTripAndRootOnlyMode() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        try (ControlClient c = ControlClient.connect(socket, T)) {
            JsonNode r = c.call(ControlClient.request("echo").put("x", "\u001b[31m"), T);
            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(r.get("got").get("x").asString()).isEqualTo("\u001b[31m");
            assertThat(c.call("count", T).get("n").asInt()).isEqualTo(1);
            assertThat(c.call("count", T).get("n").asInt()).isEqualTo(2); // several requests per connection
        }
    }

    @Test
    void errorsChangeNothing() throws Exception {
        try (ControlClient c = ControlClient.connect(socket, T)) {
            assertThat(c.call("refuse", T).toString()).isEqualTo("{\"ok\":false,\"error\":\"refused: no reason\"}");
            assertThat(c.call("nope", T).get("error").asString()).isEqualTo("unknown op \"nope\"; ops: count, echo, refuse, wait");
        }
        assertThat(rawExchange("{\"op\":\n").get(0)).contains("\"ok\":false").contains("malformed request: not JSON");
        assertThat(rawExchange("[1,2]\n").get(0)).contains("malformed request: expected a JSON object");
        assertThat(rawExchange("{\"op\":5}\n").get(0)).contains("malformed request: no \\\"op\\\" string");
        // A malformed line does not end the connection, and nothing was counted.
        List<String> two = rawExchange("garbage\n{\"op\":\"count\"}\n");
        assertThat(two).hasSize(2);
        assertThat(two.get(1)).isEqualTo("{\"ok\":true,\"n\":1}");
    }

    @Test
    void oversizedRequestIsRefusedAndClosed() throws Exception {
        List<String> replies = rawExchange("{\"op\":\"echo\",\"x\":\"" + "a".repeat(5000) + "\"}\n{\"op\":\"count\"}\n");
        assertThat(replies).containsExactly("{\"ok\":false,\"error\":\"request longer than 1024 bytes\"}");
        assertThat(counter.get()).isZero();
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long t0 = System.nanoTime();
            assertThat(ch.read(ByteBuffer.allocate(16))).isEqualTo(-1); // closed by the server, not by us
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(4));
        }
    }

    @Test
    void concurrentClients() throws Exception {
        int clients = 20;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // One client blocks in a handler; the others must still be served.
            Future<JsonNode> blocked = pool.submit(() -> {
                try (ControlClient c = ControlClient.connect(socket, T)) {
                    return c.call("wait", T);
                }
            });
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    try (ControlClient c = ControlClient.connect(socket, T)) {
                        int sum = 0;
                        for (int k = 0; k < 10; k++) {
                            sum += c.call("count", T).get("ok").asBoolean() ? 1 : 0;
                        }
                        return sum;
                    }
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(10);
            }
            assertThat(blocked.isDone()).isFalse();
            gate.countDown();
            assertThat(blocked.get(10, TimeUnit.SECONDS).get("released").asBoolean()).isTrue();
        }
        assertThat(counter.get()).isEqualTo(clients * 10);
    }

    @Test
    void noDaemon() throws Exception {
        Path missing = dir.resolve("none.sock");
        assertThatThrownBy(() -> ControlClient.connect(missing, Duration.ofMillis(200)))
                .isInstanceOf(NoDaemonException.class).hasMessageStartingWith("no daemon at " + missing);
        server.close();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> ControlClient.connect(socket, Duration.ofMillis(200))).isInstanceOf(NoDaemonException.class);
    }

    @Test
    void staleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        ControlServer second = new ControlServer(socket, new ControlHandlers(), 1024, T);
        assertThatThrownBy(second::start).hasMessage("another daemon answers on " + socket);
        server.close(); // removes the file; leave a stale one behind as a killed daemon would
        try (var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        server = new ControlServer(socket, new ControlHandlers(), 1024, T);
        server.start();
        try (ControlClient c = ControlClient.connect(socket, T)) {
            assertThat(c.call("x", T).get("ok").asBoolean()).isFalse();
        }
    }

    /** Writes raw bytes and reads reply lines until the server closes or stops sending. */
    private List<String> rawExchange(String bytes) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (ch.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            String all = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
            return all.lines().toList();
        }
    }
}
