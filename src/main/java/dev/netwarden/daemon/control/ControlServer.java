package dev.netwarden.daemon.control;

import dev.netwarden.daemon.Service;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control API's Unix stream socket: one virtual thread per client, one JSON line per request (see
 * {@link ControlHandlers}).
 *
 * <p>Only root may talk to it: the socket is bound under a temporary name, chmod 0600, then renamed to
 * its path, so it is never reachable with looser permissions. Bounded: a request line longer than
 * {@code maxRequestBytes} is answered with an error and the connection closed (the stream cannot be
 * resynchronised); a connection idle for {@code idleTimeout} is closed; at most
 * {@value #MAX_CLIENTS} clients at once (more get "busy").
 */
public final class ControlServer implements Service {
    static final int MAX_CLIENTS = 64;
    private static final Logger LOG = Logger.getLogger("netwarden.control");

    private final Path socket;
    private final ControlHandlers handlers;
    private final int maxRequestBytes;
    private final Duration idleTimeout;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private ServerSocketChannel server;
    private ScheduledExecutorService timer;
    private Thread acceptor;

    public ControlServer(Path socket, ControlHandlers handlers, int maxRequestBytes, Duration idleTimeout) {
        this.socket = Objects.requireNonNull(socket, "socket is null");
        this.handlers = Objects.requireNonNull(handlers, "handlers is null");
        if (maxRequestBytes < 64) {
            throw new IllegalArgumentException("maxRequestBytes < 64: " + maxRequestBytes);
        }
        this.maxRequestBytes = maxRequestBytes;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout is null");
    }

    @Override
    public String name() {
        return "control";
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (answers(socket)) {
                throw new IOException("another daemon answers on " + socket);
            }
            Files.delete(socket); // left by a daemon that died: nothing listens
        }
        Path temp = socket.resolveSibling("." + socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(temp), MAX_CLIENTS);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        server = ch;
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("control-timeouts").factory());
        acceptor = Thread.ofPlatform().daemon().name("control-accept").start(this::acceptLoop);
        LOG.info(() -> "control socket " + socket);
    }

    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "control accept failed: " + e.getMessage(), e);
                continue;
            }
            connections.incrementAndGet();
            if (!slots.tryAcquire()) {
                refused.incrementAndGet();
                Thread.ofVirtual().start(() -> refuse(client));
                continue;
            }
            Thread.ofVirtual().name("control-client").start(() -> {
                try {
                    serve(client);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void refuse(SocketChannel client) {
        try (client) {
            write(client, ControlHandlers.error("busy: " + MAX_CLIENTS + " clients connected, try again"));
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private void serve(SocketChannel client) {
        ScheduledFuture<?>[] closer = {timer.schedule(() -> closeQuietly(client), idleTimeout.toMillis(), TimeUnit.MILLISECONDS)};
        ByteBuffer in = ByteBuffer.allocate(Math.min(maxRequestBytes + 1, 64 * 1024));
        int scanned = 0; // bytes before this hold no newline: each byte is looked at once
        try (client) {
            while (true) {
                int newline = indexOfNewline(in, scanned);
                if (newline < 0) {
                    scanned = in.position();
                    if (in.position() > maxRequestBytes) {
                        write(client, ControlHandlers.error("request longer than " + maxRequestBytes + " bytes"));
                        discardInput(client);
                        return;
                    }
                    if (!in.hasRemaining()) {
                        in = grow(in);
                    }
                    if (client.read(in) < 0) {
                        return; // client closed
                    }
                    continue;
                }
                String line = new String(in.array(), 0, newline, StandardCharsets.UTF_8);
                in.flip().position(newline + 1);
                in.compact();
                scanned = 0;
                closer[0].cancel(false);
                requests.incrementAndGet();
                String reply = line.isBlank() ? null : handlers.dispatch(line);
                if (reply != null) {
                    write(client, reply);
                }
                closer[0] = timer.schedule(() -> closeQuietly(client), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            LOG.fine(() -> "control client: " + e);
        } finally {
            closer[0].cancel(false);
        }
    }

    /**
     * Reads and drops what the client still sends (bounded; the idle timer still runs) before closing:
     * closing a Unix socket with unread input resets it, and the client would lose the error reply.
     */
    private void discardInput(SocketChannel client) throws IOException {
        client.shutdownOutput();
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long budget = 4L * maxRequestBytes + (1 << 20);
        for (long n = 0; n < budget; ) {
            sink.clear();
            int r = client.read(sink);
            if (r < 0) {
                return;
            }
            n += r;
        }
    }

    private ByteBuffer grow(ByteBuffer in) {
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) maxRequestBytes + 1, in.capacity() * 4L));
        in.flip();
        bigger.put(in);
        return bigger;
    }

    private static int indexOfNewline(ByteBuffer in, int from) {
        byte[] a = in.array();
        for (int i = from, n = in.position(); i < n; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void write(SocketChannel client, String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            client.write(out);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public Map<String, Object> stats() {
        return Map.of("connections", connections.get(), "requests", requests.get(), "refused_busy", refused.get(),
                "clients_now", MAX_CLIENTS - slots.availablePermits());
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
            if (acceptor != null) {
                acceptor.interrupt();
            }
            if (timer != null) {
                timer.shutdownNow();
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }
}
