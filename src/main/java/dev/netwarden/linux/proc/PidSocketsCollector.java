package dev.netwarden.linux.proc;

import dev.netwarden.linux.bpf.TaskSocketRecords;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Groups (pid, fd, inode) records from the BPF iterator into one {@link PidSockets} per pid. Records
 * come pid by pid, so a run is gathered in reused arrays and copied out once; a pid seen again later
 * (a thread with its own fd table) is appended to what it had.
 */
final class PidSocketsCollector implements TaskSocketRecords.Sink {
    private final LongPredicate wanted;
    private final Map<Integer, PidSockets> byPid = new HashMap<>();
    private int currentPid = -1;
    private long[] inodes = new long[256];
    private int[] fds = new int[256];
    private int count;

    PidSocketsCollector(LongPredicate wanted) {
        this.wanted = wanted;
    }

    @Override
    public void accept(int pid, int fd, long inode) {
        if (wanted != null && !wanted.test(inode)) {
            return;
        }
        if (pid != currentPid) {
            flush();
            currentPid = pid;
        }
        if (count == fds.length) {
            inodes = Arrays.copyOf(inodes, count * 2);
            fds = Arrays.copyOf(fds, count * 2);
        }
        inodes[count] = inode;
        fds[count] = fd;
        count++;
    }

    /** Each pid that held at least one wanted socket, with its sockets. */
    Map<Integer, PidSockets> result() {
        flush();
        return byPid;
    }

    private void flush() {
        if (currentPid < 0 || count == 0) {
            return;
        }
        PidSockets before = byPid.get(currentPid);
        long[] i = Arrays.copyOf(inodes, count);
        int[] f = Arrays.copyOf(fds, count);
        if (before != null) {
            i = concat(before.inodes(), i);
            f = concat(before.fds(), f);
        }
        byPid.put(currentPid, new PidSockets(i, f, false));
        count = 0;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
