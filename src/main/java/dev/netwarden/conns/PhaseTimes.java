package dev.netwarden.conns;

/**
 * Optional phase timings of one {@code conns} run, printed to stderr when the environment variable
 * {@code NETWARDEN_TIMING=1} is set: where a slow listing spends its time (sock_diag dump, /proc fd scan,
 * process reads, formatting) without a profiler. Off by default; then every call is a read of a final
 * static boolean and returns at once.
 *
 * <p>Each mark prints the time since the previous mark on the same thread and since JVM start
 * (the launcher passes {@code -Dnetwarden.launchMicros} from bash's clock when timing, so the first
 * line also shows launcher + JVM start-up). Threads: the /proc scan marks on its own thread; lines are
 * printed as they happen, so the interleaving is the real one.
 */
public final class PhaseTimes {
    /** True when {@code NETWARDEN_TIMING=1}. */
    public static final boolean ENABLED = "1".equals(System.getenv("NETWARDEN_TIMING"));

    private static final long START = System.nanoTime();
    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[] {START});

    private PhaseTimes() {
    }

    /** Prints how long the phase {@code name} that just ended took on this thread. */
    public static void mark(String name) {
        if (!ENABLED) {
            return;
        }
        long now = System.nanoTime();
        long[] last = LAST.get();
        long phase = now - last[0];
        last[0] = now;
        System.err.printf("timing %-28s %8.1f ms  (at %7.1f ms) [%s]%n", name, phase / 1e6, (now - START) / 1e6,
                Thread.currentThread().getName());
    }

    /** Prints the time from the launcher's start (or JVM start) to this first class use; call once from main. */
    public static void startUp() {
        if (!ENABLED) {
            return;
        }
        long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        String launch = System.getProperty("netwarden.launchMicros");
        String sinceLaunch = "";
        if (launch != null) {
            long micros = Long.parseLong(launch);
            long nowMicros = System.currentTimeMillis() * 1000;
            sinceLaunch = String.format(", %.1f ms since the launcher started", (nowMicros - micros) / 1e3);
        }
        System.err.printf("timing %-28s %8d ms since JVM start%s%n", "main", uptime, sinceLaunch);
        LAST.get()[0] = System.nanoTime();
    }
}
