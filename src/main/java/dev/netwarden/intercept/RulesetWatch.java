package dev.netwarden.intercept;

import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netlink.NetlinkSocket;

import java.io.IOException;
import java.util.Objects;

/**
 * Says when this network namespace's nftables ruleset changes: a NETLINK_NETFILTER socket in the
 * multicast group NFNLGRP_NFTABLES, which the kernel tells of every committed change (new or deleted
 * table, chain or rule, then the new generation), the same notifications {@code nft monitor} shows.
 * iptables-nft, firewalld and docker change the ruleset through nftables, so any of them removing
 * netwarden's chains is seen here at once. Reading the ruleset (iptables -S, -C, iptables-save)
 * commits nothing and sends nothing.
 *
 * <p>Why: without it the intercept rules are re-checked on a timer, every check running iptables
 * several times; those forks were most of an idle intercept-level daemon's CPU, and a removed rule
 * stayed removed until the next check. With it the check runs when something changed.
 *
 * <p>What it cannot see: rules changed through iptables-legacy (the x_tables interface sends no
 * notifications); the daemon keeps a slow timer for that. A lost notification (ENOBUFS) counts as a
 * change. Joining the group needs CAP_NET_ADMIN; {@link #start} fails then, and the caller polls.
 */
public final class RulesetWatch implements AutoCloseable {
    /** enum nfnetlink_groups in linux/netfilter/nfnetlink.h. */
    static final int NFNLGRP_NFTABLES = 7;
    /** NFNL_SUBSYS_NFTABLES: the high byte of an nftables message's type. */
    static final int NFNL_SUBSYS_NFTABLES = 10;
    private final Runnable onChange;
    private final Wakeup wakeup;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long changes;
    private boolean sawChange;

    private RulesetWatch(NetlinkSocket socket, Wakeup wakeup, Runnable onChange) {
        this.onChange = onChange;
        this.wakeup = wakeup;
        this.thread = Thread.ofPlatform().daemon().name("nw-ruleset-watch").unstarted(() -> run(socket));
    }

    /**
     * Subscribes in the calling thread's network namespace (so nothing changed after this returns is
     * missed) and starts the thread that calls {@code onChange} after each batch of notifications.
     *
     * @throws IOException when the kernel refuses the subscription (no CAP_NET_ADMIN, no nf_tables)
     */
    public static RulesetWatch start(Runnable onChange) throws IOException {
        Objects.requireNonNull(onChange, "onChange is null");
        NetlinkSocket socket = NetlinkSocket.open(NetlinkHeader.NETLINK_NETFILTER);
        Wakeup wakeup;
        try {
            socket.joinGroup(NFNLGRP_NFTABLES);
            wakeup = Wakeup.open();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        RulesetWatch watch = new RulesetWatch(socket, wakeup, onChange);
        watch.thread.start();
        return watch;
    }

    private void run(NetlinkSocket socket) {
        try (socket; wakeup) {
            while (running) {
                sawChange = false;
                try {
                    if (socket.awaitReadable(wakeup, -1) != Wakeup.Outcome.READABLE) {
                        continue; // woken by close(): check running
                    }
                    while (socket.receiveQueuedNotifications(this::onMessage) >= 0) {
                        // drain what one commit sent (a transaction is several messages)
                    }
                } catch (NetlinkOverrunException e) {
                    sawChange = true; // notifications were lost: assume one was a change
                } catch (MalformedNetlinkException e) {
                    sawChange = true; // something arrived; the check itself reads the truth
                }
                if (sawChange && running) {
                    changes++;
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        System.getLogger(RulesetWatch.class.getName()).log(System.Logger.Level.WARNING,
                                "ruleset change not handled", e);
                    }
                }
            }
        } catch (IOException e) {
            System.getLogger(RulesetWatch.class.getName()).log(System.Logger.Level.WARNING,
                    "nftables change notifications stopped: " + e.getMessage());
        } finally {
            running = false;
        }
    }

    private void onMessage(NetlinkMessageCursor message) {
        if (message.type() >>> 8 == NFNL_SUBSYS_NFTABLES) {
            sawChange = true;
        }
    }

    /** Batches of notifications seen (each one led to a call of {@code onChange}). */
    public long changes() {
        return changes;
    }

    /** False once stopped, or when the socket failed (the caller then relies on its timer). */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /**
     * Waits up to {@code timeoutMillis} for {@link #changes()} to pass {@code before}: true once a
     * change made after reading {@code before} was seen (the kernel queues a commit's notifications
     * before the committing command returns; this thread handles them a moment later).
     */
    public boolean awaitChangesAfter(long before, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (changes <= before) {
            if (!isRunning() || System.nanoTime() - deadline >= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    /** Stops the thread: its wait ends at once (it is a daemon thread: nothing waits for it). */
    @Override
    public void close() {
        running = false;
        wakeup.wake();
    }
}
