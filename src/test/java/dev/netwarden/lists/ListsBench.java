package dev.netwarden.lists;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Benchmark (run by bench/lists-bench.sh, not by the test suite): generates a list of N domains
 * (default 1,000,000) in hosts format, then measures the time to read and parse it into a
 * {@link ParsedList}, the heap the loaded list retains (used heap after full GCs, with and without the
 * list reachable), and lookup ns for hits (a subdomain of a listed name) and misses.
 */
public final class ListsBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path file = Files.createTempFile("netwarden-lists-bench", ".hosts");
        try {
            String[] names = generate(n, file);
            long fileBytes = Files.size(file);
            long before = usedAfterGc();
            ParsedList list = null;
            long best = Long.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                list = null;
                usedAfterGc();
                long t0 = System.nanoTime();
                list = ListParser.parse(Files.readAllBytes(file), null);
                best = Math.min(best, System.nanoTime() - t0);
                System.out.printf("load run %d: %.0f ms%n", run + 1, (System.nanoTime() - t0) / 1e6);
            }
            long retained = usedAfterGc() - before;
            System.out.printf("domains %d (file %.1f MB, format %s), best load %.0f ms%n", list.domains().size(),
                    fileBytes / 1e6, list.report().format().label(), best / 1e6);
            System.out.printf("heap retained by the loaded list: %.1f MB (set arrays %.1f MB)%n", retained / 1e6,
                    list.domains().footprintBytes() / 1e6);

            Random r = new Random(1);
            String[] hits = new String[1 << 16];
            String[] misses = new String[1 << 16];
            for (int i = 0; i < hits.length; i++) {
                hits[i] = "cdn" + i + "." + names[r.nextInt(n)];
                misses[i] = "cdn" + i + ".host" + r.nextInt(1 << 30) + ".example-miss.org";
            }
            int[] lengths = {0, 0};
            for (String s : hits) {
                lengths[0] += s.length();
            }
            for (String s : misses) {
                lengths[1] += s.length();
            }
            DomainSet set = list.domains();
            for (int warm = 0; warm < 5; warm++) {
                time(set, hits, true);
                time(set, misses, false);
            }
            double hitNs = time(set, hits, true);
            double missNs = time(set, misses, false);
            System.out.printf("lookup hit %.0f ns (avg name %d chars), miss %.0f ns (avg name %d chars)%n", hitNs,
                    lengths[0] / hits.length, missNs, lengths[1] / misses.length);
            // O(name length): the cost per character of a miss for short and long names.
            String[] shortNames = new String[1 << 14];
            String[] longNames = new String[1 << 14];
            for (int i = 0; i < shortNames.length; i++) {
                shortNames[i] = "a" + i + ".miss.org";
                longNames[i] = "a" + i + ".b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.miss.org";
            }
            for (int warm = 0; warm < 5; warm++) {
                time(set, shortNames, false);
                time(set, longNames, false);
            }
            System.out.printf("miss by length: %d chars %.0f ns, %d chars %.0f ns%n", shortNames[100].length(),
                    time(set, shortNames, false), longNames[100].length(), time(set, longNames, false));
            System.out.println("jvm: " + System.getProperty("java.vm.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double time(DomainSet set, String[] names, boolean expected) {
        int rounds = 20;
        long t0 = System.nanoTime();
        int found = 0;
        for (int round = 0; round < rounds; round++) {
            for (String s : names) {
                if (set.contains(s)) {
                    found++;
                }
            }
        }
        long ns = System.nanoTime() - t0;
        if (found != (expected ? rounds * names.length : 0)) {
            throw new IllegalStateException("lookups gave " + found + " hits");
        }
        return (double) ns / (rounds * names.length);
    }

    /** Names like real block lists': 1–3 labels of 3–14 characters under a few hundred registrable domains and TLDs. */
    private static String[] generate(int n, Path file) throws Exception {
        Random r = new Random(42);
        String[] tlds = {"com", "net", "org", "io", "info", "de", "ru", "co.uk", "xyz", "top"};
        String[] names = new String[n];
        StringBuilder sb = new StringBuilder(n * 32);
        sb.append("# generated block list\n127.0.0.1 localhost\n");
        for (int i = 0; i < n; i++) {
            String name = label(r, i) + "." + (r.nextBoolean() ? label(r, -1) + "." : "") + "site" + r.nextInt(200_000) + "."
                    + tlds[r.nextInt(tlds.length)];
            names[i] = name;
            sb.append("0.0.0.0 ").append(name).append('\n');
        }
        Files.write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
        return names;
    }

    private static String label(Random r, int unique) {
        int len = 3 + r.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        if (unique >= 0) {
            sb.append(unique);
        }
        return sb.toString();
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static {
        ManagementFactory.getRuntimeMXBean(); // loaded before measuring, so its classes are not counted
    }
}
