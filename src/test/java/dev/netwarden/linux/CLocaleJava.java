package dev.netwarden.linux;

import dev.netwarden.testing.TestNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test support: runs a main class in a child JVM whose environment has no LANG or LC_* (only PATH), as
 * a daemon started by systemd or {@code env -i} gets. The JVM then takes the C locale, whose
 * {@code sun.jnu.encoding} is ASCII: the setting under which the JDK garbles non-ASCII file names.
 * The main must print ASCII only (escape what it reports), since stdout is ASCII there too.
 */
public final class CLocaleJava {
    private CLocaleJava() {
    }

    /** Runs {@code mainClass} with {@code args}; returns its stdout; fails on a non-zero exit or after 60 s. */
    public static String run(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(TestNamespace.javaCommand(mainClass, args));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("timed out: " + mainClass.getName());
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + " from " + mainClass.getName());
            }
            return new String(out, StandardCharsets.US_ASCII);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** {@code s} with every char outside printable ASCII written as {@code \\uXXXX}. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
