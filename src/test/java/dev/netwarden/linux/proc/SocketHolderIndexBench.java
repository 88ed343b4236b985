package dev.netwarden.linux.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: times a full {@link SocketHolderIndex#refresh()} (+ snapshot) over the machine's /proc
 * with 1 and 2 threads, and a naive java.nio implementation for comparison.
 * Usage: {@code java -cp target/classes:target/test-classes dev.netwarden.linux.proc.SocketHolderIndexBench [runs]}
 */
public final class SocketHolderIndexBench {
    private SocketHolderIndexBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean naive = args.length <= 1 || !args[1].equals("--no-naive");
        for (int threads : new int[]{1, 2}) {
            SocketHolderIndex index = new SocketHolderIndex(Path.of("/proc"), null, threads);
            long best = Long.MAX_VALUE;
            long sum = 0;
            long bestSnap = Long.MAX_VALUE;
            for (int i = 0; i < runs + 3; i++) {
                long t0 = System.nanoTime();
                index.refresh();
                long t1 = System.nanoTime();
                SocketHolderSnapshot snap = index.snapshot();
                long t2 = System.nanoTime();
                if (i >= 3) {
                    best = Math.min(best, t1 - t0);
                    sum += t1 - t0;
                    bestSnap = Math.min(bestSnap, t2 - t1);
                }
                if (i == runs + 2) {
                    System.out.printf("ffm threads=%d processes=%d socketInodes=%d holders=%d unreadable=%d%n",
                            threads, index.processCount(), snap.inodeCount(), snap.holderCount(), index.unreadableProcesses());
                }
            }
            System.out.printf("ffm threads=%d refresh best=%.1f ms mean=%.1f ms; snapshot build best=%.1f ms (%d runs)%n",
                    threads, best / 1e6, sum / 1e6 / runs, bestSnap / 1e6, runs);
        }
        if (naive) {
            long best = Long.MAX_VALUE;
            int nruns = Math.max(1, runs / 3);
            for (int i = 0; i < nruns + 1; i++) {
                long t0 = System.nanoTime();
                Map<Long, List<long[]>> map = naiveScan();
                long t1 = System.nanoTime();
                if (i >= 1) {
                    best = Math.min(best, t1 - t0);
                }
                if (i == nruns) {
                    System.out.printf("naive nio: socketInodes=%d%n", map.size());
                }
            }
            System.out.printf("naive nio (Files.newDirectoryStream + readSymbolicLink + HashMap<Long,List>) best=%.1f ms (%d runs)%n",
                    best / 1e6, nruns);
        }
    }

    private static Map<Long, List<long[]>> naiveScan() throws IOException {
        Map<Long, List<long[]>> map = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path proc : procs) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            String target = Files.readSymbolicLink(fd).toString();
                            if (target.startsWith("socket:[")) {
                                long inode = Long.parseLong(target.substring(8, target.length() - 1));
                                map.computeIfAbsent(inode, k -> new ArrayList<>(1))
                                        .add(new long[]{pid, Long.parseLong(fd.getFileName().toString())});
                            }
                        } catch (IOException gone) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException unreadable) {
                    // gone or not ours
                }
            }
        }
        return map;
    }
}
