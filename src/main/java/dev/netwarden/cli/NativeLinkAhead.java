package dev.netwarden.cli;

import dev.netwarden.linux.ffm.Libc;

/**
 * Links the FFM downcalls a kernel-reading command will need on a spare thread, while the main
 * thread builds picocli's model and parses the arguments.
 *
 * <p>Why: linking costs ~45 ms at start (the FFM machinery's first use, then a generated stub class
 * per descriptor shape, none of which the AOT cache keeps), and parsing costs about as much; on two
 * cores the two overlap instead of adding up. The thread only triggers class initialisation, which
 * the JVM makes safe: a caller that needs a handle before it is linked waits for it. A linking
 * failure is left to the caller that needs the handle to report.
 */
final class NativeLinkAhead {
    private NativeLinkAhead() {
    }

    /** Starts linking when {@code args} names a command that lists sockets. */
    static void startFor(String[] args) {
        if (args.length > 0 && args[0].equals("conns")) {
            Thread.ofPlatform().daemon().name("ffm-link-ahead")
                    .uncaughtExceptionHandler((thread, error) -> { })
                    .start(Libc::linkForListing);
        }
    }
}
