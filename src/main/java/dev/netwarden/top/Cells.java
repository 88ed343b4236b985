package dev.netwarden.top;

import dev.netwarden.conns.format.DisplayWidth;

/**
 * Text cut or padded to an exact number of terminal cells (wide characters take two, combining ones
 * none: {@link DisplayWidth}). Input is already escaped text.
 */
final class Cells {
    static final String ELLIPSIS = "…";

    private Cells() {
    }

    /** {@code s} in exactly {@code width} cells: padded on the right (left when {@code right}), cut with an ellipsis. */
    static String fit(String s, int width, boolean right, boolean keepEnd) {
        if (width <= 0) {
            return "";
        }
        int w = DisplayWidth.of(s);
        if (w > width) {
            s = keepEnd ? cutMiddle(s, width) : cutEnd(s, width);
            w = DisplayWidth.of(s);
        }
        String pad = " ".repeat(width - w);
        return right ? pad + s : s + pad;
    }

    /** {@code s} cut to at most {@code width} cells (no padding). */
    static String clip(String s, int width) {
        return DisplayWidth.of(s) <= width ? s : cutEnd(s, width);
    }

    private static String cutEnd(String s, int width) {
        if (width == 1) {
            return ELLIPSIS;
        }
        return prefix(s, width - 1) + ELLIPSIS;
    }

    private static String cutMiddle(String s, int width) {
        if (width < 4) {
            return cutEnd(s, width);
        }
        int tail = (width - 1) / 2;
        int head = width - 1 - tail;
        return prefix(s, head) + ELLIPSIS + suffix(s, tail);
    }

    /** The longest prefix of {@code s} that fits {@code cells}. */
    static String prefix(String s, int cells) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int cw = DisplayWidth.of(new String(Character.toChars(cp)));
            if (used + cw > cells) {
                break;
            }
            used += cw;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static String suffix(String s, int cells) {
        int used = 0;
        int i = s.length();
        while (i > 0) {
            int cp = s.codePointBefore(i);
            int cw = DisplayWidth.of(new String(Character.toChars(cp)));
            if (used + cw > cells) {
                break;
            }
            used += cw;
            i -= Character.charCount(cp);
        }
        return s.substring(i);
    }
}
