package dev.netwarden.linux.proc;

import dev.netwarden.linux.CLocaleJava;
import dev.netwarden.linux.ffm.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exe of a process whose path is not ASCII, read by a JVM in the C locale (no LANG, as under
 * systemd): it must come out as UTF-8, like cmdline, not with each non-ASCII byte as U+FFFD.
 *
 * <p>The directory is made and the copy of /bin/sleep started by sh with the name spelled in octal
 * escapes, so this JVM never has to encode the name in its own (possibly ASCII) locale.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExeLinkLocaleLiveTest {
    /** "/tmp/nw-test-rév k-<pid>" with é as UTF-8 bytes 0xC3 0xA9, for printf. */
    private static final String DIR_PRINTF = "/tmp/nw-test-r\\303\\251v k-%s";

    @Test
    void nonAsciiExeIsDecodedAsUtf8InTheCLocale() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root: starts a copy of /bin/sleep under /tmp");
        assumeTrue(Files.isExecutable(Path.of("/bin/sleep")), "needs /bin/sleep");
        String id = Long.toString(ProcessHandle.current().pid());
        String dir = "d=$(printf '" + DIR_PRINTF + "' \"$1\") && ";
        Process sleeper = null;
        try {
            sh(dir + "mkdir -p \"$d\" && cp /bin/sleep \"$d/x\"", id);
            sleeper = new ProcessBuilder("sh", "-c", dir + "exec \"$d/x\" 60", "sh", id).start();
            int pid = (int) sleeper.pid();
            awaitExec(pid);

            String out = CLocaleJava.run(ExeLocaleProbe.class, Integer.toString(pid));

            assertThat(out).as("the child JVM really ran in a non-UTF-8 locale")
                    .contains("jnu=").doesNotContain("jnu=UTF-8");
            assertThat(out).contains("exe=/tmp/nw-test-r\\u00e9v k-" + id + "/x\n");
        } finally {
            if (sleeper != null) {
                sleeper.destroy();
                sleeper.waitFor(5, TimeUnit.SECONDS);
            }
            sh(dir + "rm -f \"$d/x\" && rmdir \"$d\"", id);
        }
    }

    /** Waits (bounded) until sh has exec'd the copy: its cmdline then starts with the copy's path. */
    private static void awaitExec(int pid) throws Exception {
        Path cmdline = Path.of("/proc", Integer.toString(pid), "cmdline");
        for (int i = 0; i < 100; i++) {
            List<String> args = CmdlineParser.parse(Files.readAllBytes(cmdline));
            if (!args.isEmpty() && args.getFirst().endsWith("/x")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sleep copy did not start");
    }

    private static void sh(String script, String arg) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script, "sh", arg).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
