package dev.netwarden.live;

import dev.netwarden.linux.proc.ProcStat;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessDirectory;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process directory of {@link OwnScan}: a process read from /proc when one of its sockets is first
 * seen, and reused while its pid still has the same start time and name (one small read of
 * /proc/PID/stat). No executable hashes and no parents: {@code top} shows names, and has no process
 * events to keep a process described after it exits, so a process is described only while it lives.
 * Not thread-safe: the scan calls it from one thread.
 */
final class ProcessReads implements ProcessDirectory {
    static final String NOT_HASHED = "not hashed by top";
    private static final int MAX_CACHED = 8192;

    private final ProcessTable table = new ProcessTable(ProcessTable.Detail.BASIC);
    private final Map<Integer, ProcessSnapshot> cache = new HashMap<>();

    @Override
    public Optional<ProcessSnapshot> snapshot(int pid) {
        ProcStat now = table.readStat(pid);
        if (now == null) {
            cache.remove(pid);
            return Optional.empty();
        }
        ProcessSnapshot cached = cache.get(pid);
        if (cached != null && cached.info().startTicks() == now.startTicks() && now.comm().equals(cached.info().comm())) {
            return Optional.of(cached);
        }
        ProcessInfo info = table.readFresh(pid).orElse(null);
        if (info == null) {
            cache.remove(pid);
            return Optional.empty();
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        ProcessSnapshot s = new ProcessSnapshot(info, null, NOT_HASHED, List.of());
        cache.put(pid, s);
        return Optional.of(s);
    }
}
