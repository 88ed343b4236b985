package dev.netwarden.intercept;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueMessageParser;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
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
 * <p>Failures: a handler exception or null answer is counted and answered with the fail policy's
 * verdict — never a silent accept under {@link FailPolicy#CLOSED}. If the socket itself fails, the
 * loop ends, closes the queue (the kernel drops what waited for a verdict) and keeps the cause in
 * {@link #failure()}; from then on the iptables rule decides (bypass only under OPEN).
 */
public final class InterceptLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InterceptLoop.class.getName());
    /** How long {@link #close()} waits for the thread (it notices a stop within one poll interval). */
    private static final long JOIN_MILLIS = 10_000;

    private final NfQueue queue;
    private final InterceptHandler handler;
    private final FailPolicy policy;
    private final Verdict failVerdict;
    private final NfQueueMessageParser parser = new NfQueueMessageParser();
    private final NfQueue.PacketSink sink = this::onPacket;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long queued;
    private volatile long accepted;
    private volatile long dropped;
    private volatile long rejected;
    private volatile long handlerErrors;
    private volatile long malformed;

    private InterceptLoop(NfQueue queue, InterceptHandler handler, FailPolicy policy) {
        this.queue = queue;
        this.handler = handler;
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
        Objects.requireNonNull(queue, "queue is null");
        Objects.requireNonNull(handler, "handler is null");
        Objects.requireNonNull(policy, "policy is null");
        if (queue.config().failOpen() != (policy == FailPolicy.OPEN)) {
            throw new IllegalArgumentException("queue bound with failOpen=" + queue.config().failOpen() + " but fail policy is " + policy);
        }
        InterceptLoop loop = new InterceptLoop(queue, handler, policy);
        loop.thread.start();
        return loop;
    }

    private void run() {
        try {
            while (running) {
                queue.receive(sink, NfQueue.MAX_BATCH);
                queue.flushVerdicts();
            }
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            failure = cause;
            LOG.log(Level.SEVERE, "intercept loop on queue " + queue.config().queueNumber() + " failed; new connections now follow the "
                    + policy + " fail policy", cause);
        } finally {
            running = false;
            queue.close();
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
        Verdict verdict;
        try {
            verdict = handler.decide(packet);
            if (verdict == null) {
                handlerErrors++;
                verdict = failVerdict;
            }
        } catch (Exception | LinkageError | AssertionError e) {
            handlerErrors++;
            verdict = failVerdict;
        }
        try {
            queue.addVerdict(packet.packetId(), verdict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                malformed + queue.malformedDatagrams(), queue.overruns(), queue.verdictErrors());
    }

    /** Stops the thread (within one poll interval), unbinds and closes the queue. */
    @Override
    public void close() {
        running = false;
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
