package dev.netwarden.live;

import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.daemon.owners.Namespaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The live flows of a running daemon, asked with its {@code flows} op over one kept connection, in a
 * session of its own: the first answer has every flow in full, later ones only what changed
 * ({@link LiveFlowJson}). Any failure starts a new session, so client and daemon never disagree about
 * what was sent.
 *
 * <p>Refuses a daemon that watches another network namespace than the caller's ({@code top} in a
 * container or {@code ip netns exec} would otherwise show the host's connections as its own). Not
 * thread-safe: one sampler calls it.
 */
public final class DaemonFlows implements LiveFlowSource, AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Path socket;
    private final String netNamespace;
    private final Map<Long, LiveFlow> current = new HashMap<>();
    private ControlClient client;
    private String session = newSession();

    private DaemonFlows(Path socket, ControlClient client, String netNamespace) {
        this.socket = socket;
        this.client = client;
        this.netNamespace = netNamespace;
    }

    /**
     * Connects and asks once, so a caller learns at once whether the daemon can serve it.
     *
     * @throws IOException no daemon there, another namespace, or the op refused (an older daemon): the
     *                     message says which
     */
    public static DaemonFlows connect(Path socket) throws IOException {
        Objects.requireNonNull(socket, "socket is null");
        ControlClient c = ControlClient.connect(socket, CONNECT_TIMEOUT);
        DaemonFlows d = new DaemonFlows(socket, c, Namespaces.current().net());
        try {
            d.liveFlows();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    @Override
    public List<LiveFlow> liveFlows() throws IOException {
        if (client == null) {
            client = ControlClient.connect(socket, CONNECT_TIMEOUT); // the daemon restarted: start over
        }
        try {
            return ask();
        } catch (LiveFlowJson.UnknownFlowException e) {
            restart();
            return ask();
        } catch (IOException | RuntimeException e) {
            restart();
            client.close();
            client = null;
            throw e;
        }
    }

    private void restart() {
        session = newSession();
        current.clear();
    }

    private static String newSession() {
        return "top-" + ProcessHandle.current().pid() + "-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    }

    private List<LiveFlow> ask() throws IOException {
        String request = "{\"op\":\"flows\",\"session\":\"" + session + "\"}\n";
        byte[] line = client.exchange(request.getBytes(StandardCharsets.US_ASCII), CALL_TIMEOUT);
        String ns = netNamespaceOf(line);
        if (ns != null && !ns.equals(netNamespace)) {
            throw new IOException("the daemon at " + socket + " watches another network namespace (" + ns
                    + ", this is " + netNamespace + ")");
        }
        return LiveFlowJson.decode(line, current).flows();
    }

    /** The reply's {@code net_ns}: it comes first, so this reads a few hundred bytes at most. */
    static String netNamespaceOf(byte[] line) {
        int limit = Math.min(line.length, 512);
        String head = new String(line, 0, limit, StandardCharsets.UTF_8);
        int i = head.indexOf("\"net_ns\":\"");
        if (i < 0) {
            return null;
        }
        int from = i + 10;
        int to = head.indexOf('"', from);
        return to < 0 ? null : head.substring(from, to);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
