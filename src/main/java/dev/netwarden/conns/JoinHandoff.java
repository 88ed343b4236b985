package dev.netwarden.conns;

import dev.netwarden.socket.SocketEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sockets handed from the thread that receives the dump to the thread that joins them with their
 * holders, in batches and in dump order: one producer ({@link #add}, {@link #finish}), one consumer
 * ({@link #joinAll}).
 *
 * <p>Why: at 100k sockets the /proc (or BPF) scan is done well before the dump, and the join (a hash
 * lookup and a process read per socket, ~30 ms) then ran after the dump on the same thread. Handed over
 * batch by batch, it runs on the scan's otherwise idle thread while the dump still arrives, and only the
 * last batch is joined after it.
 */
final class JoinHandoff {
    private static final int BATCH = 1024;
    private static final SocketEntry[] END = new SocketEntry[0];

    private final LinkedBlockingQueue<SocketEntry[]> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<List<Connection>> joined = new CompletableFuture<>();
    private final Consumer<Connection> onRow;
    // Producer side only.
    private SocketEntry[] batch = new SocketEntry[BATCH];
    private int filled;
    private boolean ended;

    /** @param onRow told of each joined row, in dump order, on the joining thread */
    JoinHandoff(Consumer<Connection> onRow) {
        this.onRow = onRow;
    }

    /** Producer: one more socket, in dump order. */
    void add(SocketEntry socket) {
        batch[filled++] = socket;
        if (filled == BATCH) {
            queue.add(batch);
            batch = new SocketEntry[BATCH];
            filled = 0;
        }
    }

    /**
     * Producer: the dump is complete (or failed: then the consumer must not wait for more either); the
     * consumer joins what is left and finishes.
     */
    void finish() {
        if (!ended) {
            ended = true;
            queue.add(Arrays.copyOf(batch, filled));
            queue.add(END);
        }
    }

    /**
     * Consumer: joins every socket with {@code owners}, hands each row to the constructor's
     * {@code onRow}, until the producer finishes, then
     * completes {@link #rows}.
     */
    void joinAll(Function<SocketEntry, List<Owner>> owners) {
        try {
            List<Connection> rows = new ArrayList<>();
            for (SocketEntry[] b = queue.take(); b != END; b = queue.take()) {
                for (SocketEntry s : b) {
                    Connection row = new Connection(s, owners.apply(s));
                    onRow.accept(row);
                    rows.add(row);
                }
            }
            joined.complete(rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            joined.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
            joined.completeExceptionally(e);
        }
    }

    /** The joined rows, in dump order, once the consumer is done (after {@link #finish}). */
    List<Connection> rows() {
        try {
            return joined.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
