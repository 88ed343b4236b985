package dev.netwarden.conns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * IP protocol numbers and their names, as {@code /etc/protocols} pairs them: protocol 1 is {@code icmp},
 * 58 is {@code ipv6-icmp}. A RAW socket's "port" in sock_diag is its protocol number, and ss shows it
 * by this name ({@code 0.0.0.0:icmp}), so the table does too.
 *
 * <p>Why an own parser rather than {@code getprotobynumber(3)}: as for {@link Services}, the core stays
 * pure (handed the file's text, so tests and the fuzzer feed it anything) and a lookup is one array load.
 *
 * <p>Parsing is lenient like libc's: a line is {@code name number [alias...] [# comment]}; lines that do
 * not fit (no number, a number above 255) are skipped, never fatal. The first entry for a number wins,
 * as libc returns the first match ({@code ip 0} before {@code hopopt 0}). Aliases are not kept: nothing
 * here looks protocols up by name.
 */
public final class Protocols {

    /** The file libc reads. */
    public static final Path ETC_PROTOCOLS = Path.of("/etc/protocols");

    private static final int NUMBERS = 256;

    private final String[] names;

    private Protocols(String[] names) {
        this.names = names;
    }

    /** Parses the text of a protocols file. Never fails: malformed lines are skipped. */
    public static Protocols parse(CharSequence text) {
        Objects.requireNonNull(text, "text is null");
        String[] names = new String[NUMBERS];
        CommentedLines.forEach(text, (t, from, to) -> parseLine(t, from, to, names));
        return new Protocols(names);
    }

    /** Parses the bytes of a protocols file (UTF-8; invalid bytes become U+FFFD). */
    public static Protocols parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes is null");
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code file}; when it does not exist, returns {@link #builtin()} so that a minimal container
     * without {@code /etc/protocols} still names ICMP, ICMPv6, TCP and UDP.
     */
    public static Protocols load(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return builtin();
        }
    }

    /** The protocols a RAW socket usually carries, for machines without {@code /etc/protocols}. */
    public static Protocols builtin() {
        return BuiltinHolder.BUILTIN;
    }

    /** No names at all: what {@code -n} means for output. */
    public static Protocols none() {
        return NoneHolder.NONE;
    }

    /** The name of IP protocol {@code number}, or null when the file has none (or it is not 0–255). */
    public String name(int number) {
        return number >= 0 && number < NUMBERS ? names[number] : null;
    }

    /** Fields are separated by blanks as libc's {@code strpbrk(p, " \t")} does; the comment is already cut. */
    private static void parseLine(CharSequence text, int from, int end, String[] names) {
        int nameStart = skipBlanks(text, from, end);
        int nameEnd = skipWord(text, nameStart, end);
        int numberStart = skipBlanks(text, nameEnd, end);
        int numberEnd = skipWord(text, numberStart, end);
        if (nameStart == nameEnd || numberStart == numberEnd || numberEnd - numberStart > 3) {
            return;
        }
        int number = 0;
        for (int i = numberStart; i < numberEnd; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return;
            }
            number = number * 10 + (c - '0');
        }
        if (number < NUMBERS && names[number] == null) {
            names[number] = text.subSequence(nameStart, nameEnd).toString();
        }
    }

    private static int skipBlanks(CharSequence text, int i, int end) {
        while (i < end && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipWord(CharSequence text, int i, int end) {
        while (i < end && !isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static final class BuiltinHolder {
        static final Protocols BUILTIN = parse("""
                icmp 1 ICMP
                tcp 6 TCP
                udp 17 UDP
                ipv6-icmp 58 IPv6-ICMP
                """);
    }

    private static final class NoneHolder {
        static final Protocols NONE = parse("");
    }
}
