package dev.netwarden.testing;

import dev.netwarden.linux.netns.NetNamespace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A TCP forwarder from {@code 127.0.0.1:<ephemeral port>} in this JVM's network namespace (the root
 * one, where a browser or an HttpClient of the test runs) to {@code 127.0.0.1:<port>} inside a test
 * namespace (where a daemon under test listens).
 *
 * <p>Why: a daemon started in a namespace binds its loopback there, which the root namespace cannot
 * reach; giving the namespace a veth and routes would touch the root namespace, which tests must not.
 * Instead the forwarder accepts in the root namespace and opens each target socket on a thread that
 * joined the test namespace ({@link NetNamespace#callIn}): a socket keeps the namespace it was made in,
 * so the pair can then be piped both ways from ordinary threads. Nothing in the root namespace but one
 * listening loopback socket. {@link #close()} closes the listener and every open pair.
 */
public final class NamespacePortForward implements AutoCloseable {
    private final String namespace;
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private NamespacePortForward(String namespace, int targetPort, ServerSocket listener) {
        this.namespace = namespace;
        this.targetPort = targetPort;
        this.listener = listener;
        this.acceptor = Thread.ofPlatform().daemon().name("nw-forward-" + targetPort).unstarted(this::acceptLoop);
    }

    /** Starts forwarding a fresh loopback port of this namespace to {@code 127.0.0.1:targetPort} in {@code ns}. */
    public static NamespacePortForward start(TestNamespace ns, int targetPort) throws IOException {
        Objects.requireNonNull(ns, "ns is null");
        return start(ns.name(), targetPort);
    }

    /** As {@link #start(TestNamespace, int)} for a namespace given by its {@code ip netns} name. */
    public static NamespacePortForward start(String namespace, int targetPort) throws IOException {
        Objects.requireNonNull(namespace, "namespace is null");
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("target port must be 1..65535, not " + targetPort);
        }
        NetNamespace.named(namespace); // validates the name before anything is opened
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        NamespacePortForward f = new NamespacePortForward(namespace, targetPort, listener);
        f.acceptor.start();
        return f;
    }

    /** The forwarded port on 127.0.0.1 in this JVM's namespace. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String httpBase() {
        return "http://127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofPlatform().daemon().name("nw-forward-conn").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket target;
        try {
            target = NetNamespace.callIn(NetNamespace.named(namespace), () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                return s;
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(client); // the client sees the connection refused as a reset
            return;
        }
        synchronized (open) {
            if (closed) {
                closeQuietly(client);
                closeQuietly(target);
                return;
            }
            open.add(client);
            open.add(target);
        }
        Thread.ofPlatform().daemon().name("nw-forward-up").start(() -> pipe(client, target));
        pipe(target, client);
    }

    /** Copies until either side ends, then half-closes the other side so responses still finish. */
    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            closeQuietly(from);
            closeQuietly(to);
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            if (from.isInputShutdown() || from.isClosed()) {
                forget(from);
            }
        }
    }

    private void forget(Socket s) {
        synchronized (open) {
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        List<Socket> all;
        synchronized (open) {
            all = new ArrayList<>(open);
            open.clear();
        }
        all.forEach(NamespacePortForward::closeQuietly);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing: nothing to do
        }
    }
}
