package dev.netwarden.toml;

/**
 * TOML basic strings, for every TOML file netwarden writes (the effective daemon configuration, rule
 * files) and the values its error messages quote: quotes, backslashes and every control or format
 * character escaped, so a hostile name can neither break the file nor a terminal showing it.
 */
public final class TomlText {
    private TomlText() {
    }

    /** {@code s} as a TOML basic string: quotes, backslashes and every control character escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || Character.getType(c) == Character.FORMAT
                            || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
