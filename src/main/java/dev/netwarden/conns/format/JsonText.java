package dev.netwarden.conns.format;

/**
 * JSON string literals that are also safe on a terminal: besides JSON's mandatory escapes, DEL, C1
 * controls, Unicode format characters (bidi overrides, zero-width), line/paragraph separators and all
 * surrogates become {@code \}{@code uXXXX}. A JSON parser reads back exactly the original string.
 */
public final class JsonText {

    private JsonText() {
    }

    /** True when Jackson's standard escaping is enough for {@code s}. */
    static boolean isPlain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x7f && needsEscape(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} as a complete JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7f && needsEscape(c))) {
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static boolean needsEscape(char c) {
        if (c <= 0x9f || Character.isSurrogate(c)) {
            return true; // DEL and C1 (c >= 0x7f here), or half of a pair: escaping pairs keeps lone halves safe too
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
