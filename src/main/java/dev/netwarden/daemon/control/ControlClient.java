package dev.netwarden.daemon.control;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The CLI side of the control API: connects with a short timeout (a CLI must never hang on a wedged
 * daemon) and exchanges one JSON line per call, each bounded by the call's timeout. Not thread-safe.
 */
public final class ControlClient implements AutoCloseable {
    /** Responses larger than this are refused (a socket-owners answer for 100k sockets is a few MiB). */
    static final int MAX_RESPONSE_BYTES = 256 << 20;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private byte[] pending = new byte[0];

    private ControlClient(Path socket, SocketChannel channel, Selector selector) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Connects to the daemon at {@code socket}.
     *
     * @throws NoDaemonException when nothing answers there within {@code timeout} (no file, refused,
     *                           permission denied, timeout)
     */
    public static ControlClient connect(Path socket, Duration timeout) throws NoDaemonException {
        Objects.requireNonNull(socket, "socket is null");
        SocketChannel ch = null;
        Selector sel = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.configureBlocking(false);
            sel = Selector.open();
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                ch.register(sel, SelectionKey.OP_CONNECT);
                if (sel.select(Math.max(1, timeout.toMillis())) == 0 || !ch.finishConnect()) {
                    throw new NoDaemonException(socket, "connect timed out after " + timeout.toMillis() + " ms");
                }
                sel.selectedKeys().clear();
            }
            ch.register(sel, 0);
            return new ControlClient(socket, ch, sel);
        } catch (NoDaemonException e) {
            closeQuietly(ch, sel);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch, sel);
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NoDaemonException(socket, reason);
        }
    }

    /** Sends one request and returns the daemon's response object ({@code ok} true or false). */
    public JsonNode call(ObjectNode request, Duration timeout) throws IOException {
        byte[] reply = exchange((ControlHandlers.JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8), timeout);
        String line = new String(reply, StandardCharsets.UTF_8);
        try {
            JsonNode n = ControlHandlers.JSON.readTree(line);
            if (n == null || !n.isObject() || !n.path("ok").isBoolean()) {
                throw new IOException("daemon at " + socket + " sent a malformed response");
            }
            return n;
        } catch (JacksonException e) {
            throw new IOException("daemon at " + socket + " sent a malformed response: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Sends one request line (JSON, ending in a newline) and returns the response line's bytes without
     * its newline. For callers that stream-parse big answers without jackson-databind (a CLI's start-up
     * time: the tree model costs ~100 ms of class loading in a fresh JVM).
     */
    public byte[] exchange(byte[] requestLine, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer out = ByteBuffer.wrap(requestLine);
        SelectionKey key = channel.keyFor(selector);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(key, SelectionKey.OP_WRITE, deadline);
            }
        }
        return readLine(key, deadline);
    }

    /** Shorthand for {@code {"op":op}}. */
    public JsonNode call(String op, Duration timeout) throws IOException {
        ObjectNode r = ControlHandlers.JSON.createObjectNode();
        r.put("op", op);
        return call(r, timeout);
    }

    /** A new request object for {@code op}, to add arguments to. */
    public static ObjectNode request(String op) {
        ObjectNode r = ControlHandlers.JSON.createObjectNode();
        r.put("op", op);
        return r;
    }

    private byte[] readLine(SelectionKey key, long deadline) throws IOException {
        byte[] buf = pending;
        int len = buf.length;
        int scanned = 0;
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        while (true) {
            for (int i = scanned; i < len; i++) {
                if (buf[i] == '\n') {
                    pending = Arrays.copyOfRange(buf, i + 1, len);
                    return Arrays.copyOf(buf, i);
                }
            }
            scanned = len;
            if (len > MAX_RESPONSE_BYTES) {
                throw new IOException("daemon at " + socket + " sent a response over " + MAX_RESPONSE_BYTES + " bytes");
            }
            chunk.clear();
            int n = channel.read(chunk);
            if (n < 0) {
                throw new IOException("daemon at " + socket + " closed the connection");
            }
            if (n == 0) {
                await(key, SelectionKey.OP_READ, deadline);
                continue;
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(len + n, Math.max(1024, buf.length * 2)));
            }
            System.arraycopy(chunk.array(), 0, buf, len, n);
            len += n;
        }
    }

    private void await(SelectionKey key, int op, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new IOException("daemon at " + socket + " did not answer in time");
        }
        key.interestOps(op);
        selector.select(left);
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel ch, Selector sel) {
        try {
            if (sel != null) {
                sel.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
