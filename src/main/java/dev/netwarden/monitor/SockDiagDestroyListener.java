package dev.netwarden.monitor;

import dev.netwarden.flow.Transport;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netlink.NetlinkSocket;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.sockdiag.InetDiagParser;
import dev.netwarden.linux.sockdiag.InetDiagRequest;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The kernel's word when a TCP or UDP socket is destroyed: a NETLINK_SOCK_DIAG socket in the
 * multicast groups SKNLGRP_INET_TCP_DESTROY (1), SKNLGRP_INET_UDP_DESTROY (2),
 * SKNLGRP_INET6_TCP_DESTROY (3) and SKNLGRP_INET6_UDP_DESTROY (4). Each notification is the socket's
 * last inet_diag_msg with its cookie and, for TCP, its final tcp_info (recorded on 6.18: the inode
 * and uid are 0 by then). A daemon thread parses each and calls {@link FlowTracker#onDestroyed}.
 *
 * <p>The kernel only sends these to listeners in the socket's own namespace and only to
 * CAP_NET_ADMIN holders; they are sent from a work queue, so they arrive a little after the close.
 * When the receive buffer overflows (ENOBUFS) notifications are lost: counted, and
 * {@code onOverrun} (the poller's {@code pollSoon}) is called so the next dumps close what vanished.
 * No RAW or ICMP groups exist: those sockets end only by vanishing from dumps.
 */
public final class SockDiagDestroyListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SockDiagDestroyListener.class.getName());
    private static final int[] GROUPS = {1, 2, 3, 4};
    private static final long RECEIVE_TIMEOUT_MILLIS = 250;

    private final FlowTracker tracker;
    private final Path namespace;
    private final Runnable onOverrun;
    private final InetDiagParser parser = new InetDiagParser();
    private volatile boolean running;
    private Thread thread;
    private volatile long received, overruns, malformed, ignored;

    /**
     * @param namespace the network namespace file to listen in, or null for the caller's
     * @param onOverrun called (on the listener thread) after notifications were lost
     */
    public SockDiagDestroyListener(FlowTracker tracker, Path namespace, Runnable onOverrun) {
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.namespace = namespace;
        this.onOverrun = Objects.requireNonNull(onOverrun, "onOverrun is null");
    }

    /**
     * Opens the socket and joins the groups before returning (so a missing capability fails here, and
     * no socket destroyed after this call is missed), then starts the listener thread.
     */
    public synchronized void start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        NetlinkSocket socket = namespace == null ? openSubscribed() : NetNamespace.callIn(namespace, SockDiagDestroyListener::openSubscribed);
        running = true;
        thread = Thread.ofPlatform().name("nw-sockdiag-destroy").daemon().start(() -> run(socket));
    }

    private static NetlinkSocket openSubscribed() throws IOException {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG, RECEIVE_TIMEOUT_MILLIS);
        try {
            for (int group : GROUPS) {
                socket.joinGroup(group);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void run(NetlinkSocket socket) {
        try (socket) {
            while (running) {
                try {
                    socket.receiveNotifications(message -> {
                        if (message.type() != InetDiagRequest.SOCK_DIAG_BY_FAMILY) {
                            ignored++;
                            return;
                        }
                        SocketEntry e;
                        try {
                            e = parser.parseDestroyed(message.segment(), message.payloadOffset(), message.payloadLength());
                        } catch (MalformedNetlinkException bad) {
                            malformed++;
                            return;
                        }
                        received++;
                        if (e == null) {
                            ignored++;
                            return;
                        }
                        tracker.onDestroyed(Sighting.of(e, Sighting.transportOf(e), SightingSource.DESTROY));
                    });
                } catch (NetlinkOverrunException e) {
                    overruns++;
                    onOverrun.run();
                } catch (MalformedNetlinkException e) {
                    malformed++;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "sock_diag destroy listener stopped: " + e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "destroy notification not handled", e);
                }
            }
        }
    }

    public Stats stats() {
        return new Stats(received, overruns, malformed, ignored);
    }

    /** @param overruns times notifications were lost (ENOBUFS) */
    public record Stats(long received, long overruns, long malformed, long ignored) {}

    @Override
    public synchronized void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
