package dev.netwarden.linux.proc;

import dev.netwarden.linux.bpf.TaskSocketRecords;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Groups (pid, fd, inode) records from the BPF iterator into one {@link PidSockets} per pid. Records
 * come pid by pid, so a run is gathered in one reused {@link SocketFdList} and copied out once; a pid seen again later
 * (a thread with its own fd table) is appended to what it had.
 */
final class PidSocketsCollector implements TaskSocketRecords.Sink {
    private final LongPredicate wanted;
    private final Map<Integer, PidSockets> byPid = new HashMap<>();
    private int currentPid = -1;
    private final SocketFdList run = new SocketFdList(16); // one per scan: most processes hold a few sockets

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
        run.add(inode, fd);
    }

    /** Each pid that held at least one wanted socket, with its sockets. */
    Map<Integer, PidSockets> result() {
        flush();
        return byPid;
    }

    private void flush() {
        if (currentPid < 0 || run.size() == 0) {
            return;
        }
        PidSockets before = byPid.get(currentPid);
        PidSockets now = run.toPidSockets();
        if (before != null) {
            now = new PidSockets(concat(before.inodes(), now.inodes()), concat(before.fds(), now.fds()), false);
        }
        byPid.put(currentPid, now);
        run.clear();
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
