package dev.netwarden.monitor;

import dev.netwarden.flow.Transport;
import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netlink.NetlinkMessageHandler;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netlink.NetlinkSocket;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.sockdiag.InetDiagParser;
import dev.netwarden.linux.sockdiag.InetDiagRequest;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

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
    /** The sleep after a small batch (see {@link #run}). */
    static final long PAUSE_NANOS = 50_000_000;
    /** Datagrams in one batch from which the listener stops pausing. */
    static final int BUSY_BATCH = 64;

    private final FlowTracker tracker;
    private final Path namespace;
    private final Runnable onOverrun;
    private final InetDiagParser parser = new InetDiagParser();
    private volatile boolean running;
    private Thread thread;
    /** Ends the thread's wait for notifications when the listener is closed. */
    private Wakeup wakeup;
    private volatile long received, overruns, malformed, ignored, wakeUps;
    private final NetlinkMessageHandler handler = this::handle;

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
        Wakeup w;
        try {
            w = Wakeup.open();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        wakeup = w;
        running = true;
        thread = Thread.ofPlatform().name("nw-sockdiag-destroy").daemon().start(() -> run(socket, w));
    }

    private static NetlinkSocket openSubscribed() throws IOException {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG);
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

    /**
     * Waits for a notification, handles it and every one queued behind it, then, unless that batch was
     * large, sleeps {@link #PAUSE_NANOS} before waiting again, so that at a low rate the thread wakes
     * about 20 times a second instead of once per notification. Why: on this machine (a small VM)
     * each wake-up of a thread costs about 40 us of CPU whatever it then does; at 100 connections/s
     * the wake-ups were most of the thread's CPU (measured with a bare receiver: 39 us per
     * notification waking once each, 16 us when draining every 100 ms). A batch of
     * {@link #BUSY_BATCH} or more means a busy socket: no pause then, so a burst is never held in the
     * receive buffer (4 MiB) long enough to overflow it. Notifications are handled up to 50 ms
     * later; nothing waits on them (a flow missing from a dump meanwhile waits for its notification).
     * The wait itself has no time limit: {@link #close()} ends it through a {@link Wakeup} (a receive
     * timeout woke an idle daemon's thread four times a second).
     */
    private void run(NetlinkSocket socket, Wakeup wakeup) {
        try (socket; wakeup) {
            while (running) {
                try {
                    if (socket.awaitReadable(wakeup, -1) != Wakeup.Outcome.READABLE) {
                        continue; // woken by close(): check running
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "sock_diag destroy listener stopped: " + e.getMessage());
                    return;
                }
                int batch = 0;
                int next;
                while (running && (next = receive(socket)) != 0) {
                    if (next < 0) {
                        return;
                    }
                    batch++;
                }
                if (batch == 0) {
                    continue;
                }
                wakeUps++;
                if (batch < BUSY_BATCH && running) {
                    LockSupport.parkNanos(PAUSE_NANOS);
                }
            }
        }
    }

    /** One queued datagram: 1 when one was received (handled or not), 0 when none was queued, -1 when the socket failed. */
    private int receive(NetlinkSocket socket) {
        try {
            return socket.receiveQueuedNotifications(handler) >= 0 ? 1 : 0;
        } catch (NetlinkOverrunException e) {
            overruns++;
            onOverrun.run();
            return 1;
        } catch (MalformedNetlinkException e) {
            malformed++;
            return 1;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "sock_diag destroy listener stopped: " + e.getMessage());
            return -1;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "destroy notification not handled", e);
            return 1;
        }
    }

    private void handle(NetlinkMessageCursor message) {
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
    }

    public Stats stats() {
        return new Stats(received, overruns, malformed, ignored, wakeUps);
    }

    /**
     * @param overruns times notifications were lost (ENOBUFS)
     * @param batches  times the thread woke to notifications and handled them (and those queued behind)
     */
    public record Stats(long received, long overruns, long malformed, long ignored, long batches) {}

    @Override
    public synchronized void close() {
        running = false;
        if (wakeup != null) {
            wakeup.wake();
        }
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
