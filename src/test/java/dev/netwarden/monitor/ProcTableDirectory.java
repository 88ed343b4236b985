package dev.netwarden.monitor;

import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessDirectory;
import dev.netwarden.process.ProcessSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Test-scope {@link ProcessDirectory}: /proc through {@link ProcessTable} with the parent chain, no
 * hash (the real one, with sha256 and exit memory, is the procevents helper's ProcessRegistry).
 */
final class ProcTableDirectory implements ProcessDirectory {
    private final ProcessTable table = new ProcessTable();

    @Override
    public Optional<ProcessSnapshot> snapshot(int pid) {
        return table.lookup(pid).map(info -> {
            List<ProcessSnapshot.ParentLink> parents = new ArrayList<>();
            int ppid = info.ppid();
            for (int depth = 0; ppid > 0 && depth < 16; depth++) {
                var parent = table.lookup(ppid);
                if (parent.isEmpty()) {
                    break;
                }
                parents.add(new ProcessSnapshot.ParentLink(ppid, parent.get().comm(), parent.get().exe()));
                ppid = parent.get().ppid();
            }
            return new ProcessSnapshot(info, null, "not hashed in tests", parents);
        });
    }
}
