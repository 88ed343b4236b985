package dev.netwarden.linux.proc;

import dev.netwarden.process.SocketHolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Socket inode → the (pid, fd) pairs that hold it, frozen at one moment. Immutable, so it can be
 * handed to other threads while the {@link SocketHolderIndex} it came from rescans.
 *
 * <p>Why not a {@code Map<Long, List<SocketHolder>>}: a busy machine has 10^5 socket fds, and the
 * lookup runs once per socket row. Here an open-addressing table of primitive inodes points into
 * primitive arrays of holders chained per inode; nothing is boxed, and a lookup that only wants the
 * first pid allocates nothing. Holders of one inode come out ascending by pid, then fd.
 */
public final class SocketHolderSnapshot {
    /** Receives the holders of one inode without allocating. */
    @FunctionalInterface
    public interface HolderVisitor {
        void visit(int pid, int fd);
    }

    private static final long EMPTY = -1;

    private final long[] keys;
    private final int[] heads;
    private final int[] holderPid;
    private final int[] holderFd;
    private final int[] next;
    private final int mask;
    private final int inodeCount;
    private final int unreadableProcesses;

    private SocketHolderSnapshot(long[] keys, int[] heads, int[] holderPid, int[] holderFd, int[] next,
                                 int inodeCount, int unreadableProcesses) {
        this.keys = keys;
        this.heads = heads;
        this.holderPid = holderPid;
        this.holderFd = holderFd;
        this.next = next;
        this.mask = keys.length - 1;
        this.inodeCount = inodeCount;
        this.unreadableProcesses = unreadableProcesses;
    }

    /** Builds the table; {@code pids} must be ascending and {@code sockets[i]} belong to {@code pids[i]}. */
    static SocketHolderSnapshot build(int[] pids, PidSockets[] sockets, int unreadableProcesses) {
        int total = 0;
        for (PidSockets s : sockets) {
            total += s.count();
        }
        int capacity = Integer.highestOneBit(Math.max(total, 8) * 2 - 1) << 1;
        long[] keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        int[] heads = new int[capacity];
        int[] holderPid = new int[total];
        int[] holderFd = new int[total];
        int[] next = new int[total];
        int mask = capacity - 1;
        int inodeCount = 0;
        int e = 0;
        // Backwards, prepending to each chain, so every chain ends up ascending.
        for (int p = pids.length - 1; p >= 0; p--) {
            PidSockets s = sockets[p];
            for (int i = s.count() - 1; i >= 0; i--) {
                long inode = s.inodes()[i];
                int slot = slot(inode, mask);
                while (keys[slot] != EMPTY && keys[slot] != inode) {
                    slot = (slot + 1) & mask;
                }
                if (keys[slot] == EMPTY) {
                    keys[slot] = inode;
                    heads[slot] = -1;
                    inodeCount++;
                }
                holderPid[e] = pids[p];
                holderFd[e] = s.fds()[i];
                next[e] = heads[slot];
                heads[slot] = e;
                e++;
            }
        }
        return new SocketHolderSnapshot(keys, heads, holderPid, holderFd, next, inodeCount, unreadableProcesses);
    }

    private static int slot(long inode, int mask) {
        return (int) ((inode * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private int head(long inode) {
        if (inode < 0) {
            return -1;
        }
        int slot = slot(inode, mask);
        while (true) {
            long key = keys[slot];
            if (key == inode) {
                return heads[slot];
            }
            if (key == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Every holder of the socket with this inode, ascending by pid then fd; empty when none is known. */
    public List<SocketHolder> holders(long inode) {
        int e = head(inode);
        if (e < 0) {
            return List.of();
        }
        List<SocketHolder> result = new ArrayList<>(2);
        for (; e >= 0; e = next[e]) {
            result.add(new SocketHolder(holderPid[e], holderFd[e]));
        }
        return List.copyOf(result);
    }

    /** The lowest pid holding this inode, or -1. Allocates nothing. */
    public int firstHolderPid(long inode) {
        int e = head(inode);
        return e < 0 ? -1 : holderPid[e];
    }

    /** Calls {@code visitor} for each holder of the inode, ascending. Allocates nothing. */
    public void forEachHolder(long inode, HolderVisitor visitor) {
        for (int e = head(inode); e >= 0; e = next[e]) {
            visitor.visit(holderPid[e], holderFd[e]);
        }
    }

    public boolean contains(long inode) {
        return head(inode) >= 0;
    }

    /** Distinct socket inodes. */
    public int inodeCount() {
        return inodeCount;
    }

    /** (pid, fd) pairs: at least {@link #inodeCount()}, more where sockets are shared. */
    public int holderCount() {
        return holderPid.length;
    }

    /**
     * Processes whose fds could not be read (another user's, when not root): sockets held only by
     * them have no holder here. The CLI says so instead of showing them as ownerless.
     */
    public int unreadableProcesses() {
        return unreadableProcesses;
    }
}
