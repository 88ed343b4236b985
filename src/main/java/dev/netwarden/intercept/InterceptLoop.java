package dev.netwarden.intercept;

import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueMessageParser;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that serves an {@link NfQueue}: receive a batch of queued packets, ask the
 * {@link InterceptHandler} about each, send the verdicts (one send per batch), repeat.
 *
 * <p>Why one thread: verdict order then follows packet order, the queue socket and parser need no
 * locks, and the batch verdict is valid (this thread has seen every packet up to the highest id).
 * The counters are written by this thread only (volatile, read by anyone); nothing but the parsed
 * record and its small payload is allocated per packet.
 *
 * <p>Held packets: a {@link HoldingHandler} may answer {@link Decision#HOLD}; the packet then stays in
 * the kernel's queue until {@link #verdict(int, Verdict)} (any thread) names it. Those late verdicts
 * are handed to this thread through a lock-free queue and sent after the current batch, so the socket
 * still has one user; a late verdict wakes the thread ({@link Wakeup}), so it is sent at once. While any packet is held, verdicts go one
 * message each (a batch verdict would cover the held packets too). A held packet is never accepted
 * by accident: a late verdict for an id that is not held is ignored (counted), at most
 * {@link #maxHeld()} packets are held at once (more HOLD answers are dropped — a dropped SYN is
 * retried by the client — because a kernel queue filled with held packets would hand new packets to
 * the fail policy), and packets still held when the loop ends get the fail policy's verdict.
 *
 * <p>Failures: a handler exception or null answer is counted and answered with the fail policy's
 * verdict — never a silent accept under {@link FailPolicy#CLOSED}. If the socket itself fails, the
 * loop ends, closes the queue (the kernel drops what waited for a verdict) and keeps the cause in
 * {@link #failure()}; from then on the iptables rule decides (bypass only under OPEN).
 */
public final class InterceptLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InterceptLoop.class.getName());
    /** How long {@link #close()} waits for the thread (a stop wakes it at once; this covers a slow handler). */
    private static final long JOIN_MILLIS = 10_000;

    private final NfQueue queue;
    private final HoldingHandler handler;
    private final int maxHeld;
    /** Ids of held packets; this thread only. */
    private final Set<Integer> held = new HashSet<>();
    /** Late verdicts from other threads: packet id in the high 32 bits, verdict ordinal in the low ones. */
    private final ConcurrentLinkedQueue<Long> late = new ConcurrentLinkedQueue<>();
    private final FailPolicy policy;
    private final Verdict failVerdict;
    private final NfQueueMessageParser parser = new NfQueueMessageParser();
    private final NfQueue.PacketSink sink = this::onPacket;
    private final Thread thread;
    /** Ends the loop's wait for packets: late verdicts to send, or a stop. */
    private final Wakeup wakeup;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long queued;
    private volatile long accepted;
    private volatile long dropped;
    private volatile long rejected;
    private volatile long handlerErrors;
    private volatile long malformed;
    private volatile int heldNow;
    private volatile long holds;
    private volatile long holdsRefused;
    private volatile long lateVerdicts;
    private volatile long lateUnknown;

    private InterceptLoop(NfQueue queue, HoldingHandler handler, FailPolicy policy, Wakeup wakeup) {
        this.queue = queue;
        this.wakeup = wakeup;
        this.handler = handler;
        this.maxHeld = Math.max(1, queue.config().maxQueueLength() / 2);
        this.policy = policy;
        this.failVerdict = policy == FailPolicy.OPEN ? Verdict.ACCEPT : Verdict.DROP;
        this.thread = Thread.ofPlatform().daemon().name("nw-intercept-" + queue.config().queueNumber()).unstarted(this::run);
    }

    /**
     * Starts serving {@code queue} (already bound, possibly in another network namespace) and owns
     * it from now on: {@link #close()} closes it.
     *
     * @throws IllegalArgumentException when the queue's fail-open flag does not match {@code policy}
     */
    public static InterceptLoop start(NfQueue queue, InterceptHandler handler, FailPolicy policy) {
        Objects.requireNonNull(handler, "handler is null");
        return startHolding(queue, packet -> {
            Verdict v = handler.decide(packet);
            return v == null ? null : Decision.of(v);
        }, policy);
    }

    /**
     * As {@link #start(NfQueue, InterceptHandler, FailPolicy)}, with a handler that may hold packets
     * (answer them later through {@link #verdict(int, Verdict)}).
     */
    public static InterceptLoop startHolding(NfQueue queue, HoldingHandler handler, FailPolicy policy) {
        Objects.requireNonNull(queue, "queue is null");
        Objects.requireNonNull(handler, "handler is null");
        Objects.requireNonNull(policy, "policy is null");
        if (queue.config().failOpen() != (policy == FailPolicy.OPEN)) {
            throw new IllegalArgumentException("queue bound with failOpen=" + queue.config().failOpen() + " but fail policy is " + policy);
        }
        Wakeup wakeup;
        try {
            wakeup = Wakeup.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the intercept loop's wakeup", e);
        }
        InterceptLoop loop = new InterceptLoop(queue, handler, policy, wakeup);
        loop.thread.start();
        return loop;
    }

    /**
     * The verdict for a held packet, from any thread; the loop's thread wakes and sends it at once.
     * Ignored (and counted) when {@code packetId} is not held: already answered, refused
     * for the hold limit, or released when the loop ended.
     */
    public void verdict(int packetId, Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict is null");
        late.add(((long) packetId << 32) | verdict.ordinal());
        wakeup.wake();
    }

    /** Most packets held at once; a HOLD beyond it is answered DROP. */
    public int maxHeld() {
        return maxHeld;
    }

    private void run() {
        try {
            while (running) {
                queue.receive(sink, NfQueue.MAX_BATCH, wakeup);
                sendLateVerdicts();
                queue.flushVerdicts();
            }
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            failure = cause;
            LOG.log(Level.SEVERE, "intercept loop on queue " + queue.config().queueNumber() + " failed; new connections now follow the "
                    + policy + " fail policy", cause);
        } finally {
            running = false;
            releaseHeld();
            queue.close();
            wakeup.close();
        }
    }

    /** Adds the late verdicts that arrived for held packets (loop thread). */
    private void sendLateVerdicts() throws IOException {
        Verdict[] verdicts = Verdict.values();
        for (Long e; (e = late.poll()) != null; ) {
            int id = (int) (e >>> 32);
            Verdict v = verdicts[(int) (e & 0xFF)];
            if (!held.remove(id)) {
                lateUnknown++;
                continue;
            }
            queue.addVerdict(id, v);
            lateVerdicts++;
            count(v);
        }
        heldNow = held.size();
        if (held.isEmpty()) {
            queue.batchVerdicts(true);
        }
    }

    /** The loop ends: late verdicts that made it in time are sent, every other held packet gets the fail verdict. */
    private void releaseHeld() {
        try {
            sendLateVerdicts();
            for (int id : held) {
                queue.addVerdict(id, failVerdict);
                count(failVerdict);
            }
            held.clear();
            heldNow = 0;
            queue.flushVerdicts();
        } catch (IOException | RuntimeException e) {
            // the socket is gone: closing it makes the kernel drop what still waits
            LOG.log(Level.FINE, "could not release held packets: " + e);
        }
    }

    private void onPacket(MemorySegment buffer, long offset, int length) {
        QueuedPacket packet;
        try {
            packet = parser.parse(buffer, offset, length);
        } catch (MalformedNetlinkException e) {
            malformed++;
            return;
        }
        queued++;
        Decision decision;
        try {
            decision = handler.decide(packet);
            if (decision == null) {
                handlerErrors++;
                decision = Decision.of(failVerdict);
            }
        } catch (Exception | LinkageError | AssertionError e) {
            handlerErrors++;
            decision = Decision.of(failVerdict);
        }
        if (decision == Decision.HOLD) {
            if (held.size() < maxHeld) {
                // Before any verdict of this batch is sent: from now on no batch verdict may cover it.
                queue.batchVerdicts(false);
                held.add(packet.packetId());
                heldNow = held.size();
                holds++;
                return;
            }
            holdsRefused++;
            decision = Decision.DROP;
        }
        Verdict verdict = decision.verdict();
        try {
            queue.addVerdict(packet.packetId(), verdict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count(verdict);
    }

    private void count(Verdict verdict) {
        switch (verdict) {
            case ACCEPT -> accepted++;
            case DROP -> dropped++;
            case REJECT -> {
                if (queue.config().rejectMark() != 0) {
                    rejected++;
                } else {
                    dropped++;
                }
            }
        }
    }

    /** The queue this loop serves. */
    public int queueNumber() {
        return queue.config().queueNumber();
    }

    public FailPolicy failPolicy() {
        return policy;
    }

    /** True until {@link #close()} or a socket failure ends the loop. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /** What ended the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    /** A snapshot of the counters (the queue's own counters are read without a lock; approximate while running). */
    public InterceptCounters counters() {
        return new InterceptCounters(queued, accepted, dropped, rejected, handlerErrors,
                malformed + queue.malformedDatagrams(), queue.overruns(), queue.verdictErrors(),
                heldNow, holds, holdsRefused, lateVerdicts, lateUnknown);
    }

    /** Stops the thread (its wait for packets ends at once), unbinds and closes the queue. */
    @Override
    public void close() {
        running = false;
        wakeup.wake();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("intercept loop on queue " + queue.config().queueNumber() + " did not stop within " + JOIN_MILLIS + " ms");
        }
    }
}
