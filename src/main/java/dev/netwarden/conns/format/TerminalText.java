package dev.netwarden.conns.format;

/**
 * Makes untrusted text safe to print on a terminal. Process names, executable paths, command lines
 * and UNIX socket paths are chosen by whoever runs the process: an ESC sequence in a process name
 * could recolour, move the cursor, retitle the window or (on some terminals) answer back to the shell
 * when the admin runs {@code netwarden conns}; a bidi override (U+202E) could make {@code /tmp/evil}
 * read as something harmless.
 *
 * <p>Replaced with a visible escape: C0 controls (U+0000–U+001F, including TAB, CR and LF, which would
 * break the table's rows) as {@code \xNN}, DEL as {@code \x7f}, C1 controls (U+0080–U+009F, CSI is
 * U+009B) as {@code &#92;u0080}…, and every Unicode format character (category Cf: bidi embeddings,
 * overrides and isolates, zero-width joiners, BOM) plus the line and paragraph separators and lone
 * surrogates as {@code &#92;uXXXX}. A backslash is left as is: the output is for a human, not a decoder,
 * and JSON output is the faithful form.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /** {@code text} with unsafe characters escaped; the same instance when nothing needed escaping. */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (isUnsafe(text, i)) {
                StringBuilder sb = new StringBuilder(n + 8);
                sb.append(text, 0, i);
                appendFrom(sb, text, i);
                return sb.toString();
            }
        }
        return text;
    }

    /** Appends {@code text} sanitized to {@code out} without an intermediate string. */
    public static void append(StringBuilder out, String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (isUnsafe(text, i)) {
                out.append(text, 0, i);
                appendFrom(out, text, i);
                return;
            }
        }
        out.append(text);
    }

    /** True when {@code text} holds nothing that {@link #sanitize} would change. */
    public static boolean isSafe(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (isUnsafe(text, i)) {
                return false;
            }
        }
        return true;
    }

    private static void appendFrom(StringBuilder out, String text, int from) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = text.charAt(i);
            if (!isUnsafe(text, i)) {
                out.append(c);
                if (Character.isHighSurrogate(c)) { // a valid pair: copy the low half too
                    out.append(text.charAt(++i));
                }
            } else if (c < 0x20 || c == 0x7f) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                appendUnicodeEscape(out, c);
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    appendUnicodeEscape(out, text.charAt(++i)); // a format character beyond the BMP
                }
            }
        }
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }

    private static boolean isUnsafe(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return false;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                return true;
            }
            return Character.getType(text.codePointAt(i)) == Character.FORMAT;
        }
        if (Character.isLowSurrogate(c)) {
            // Reached only for a low surrogate without its high half: paired ones are consumed above.
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
