package dev.netwarden.conns.format;

import java.util.Arrays;

/**
 * How many terminal cells text takes, for padding table columns: an East Asian Wide or Fullwidth
 * character ({@code 服}, {@code Ｅ}, most emoji) takes two, a combining or format character
 * (categories Mn, Me, Cf; and the Hangul medial vowels and final consonants U+1160–U+11FF, which join
 * the syllable before them) takes none, everything else one. This is what {@code wcwidth(3)} and terminal
 * emulators do; counting UTF-16 chars instead shifted every column after a name like {@code 服务器} or
 * {@code e&#92;u0301}.
 *
 * <p>Why an own table: the JDK has no East Asian Width property. The ranges below are the W and F code
 * points of Unicode 14 (generated with Python's {@code unicodedata}) plus the blocks EastAsianWidth.txt
 * declares wide even where unassigned (CJK ideographs, planes 2 and 3); neighbouring ranges separated
 * only by unassigned code points are merged, which keeps the table at 81 ranges and counts characters
 * assigned later in those gaps as wide. General categories come from {@link Character}, so they follow
 * the JDK's Unicode version.
 *
 * <p>Text is expected sanitized ({@link TerminalText}): controls have already become visible escapes.
 */
public final class DisplayWidth {

    private DisplayWidth() {
    }

    /** Cells taken by {@code s}; {@code utf8Length} is its UTF-8 byte count, which gives ASCII away for free. */
    static int of(String s, int utf8Length) {
        int n = s.length();
        if (utf8Length == n) { // every non-ASCII char takes two or more UTF-8 bytes: this is all ASCII
            return n;
        }
        int width = 0;
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            width += of(cp);
            i += Character.charCount(cp);
        }
        return width;
    }

    /** Cells taken by {@code s}. */
    public static int of(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return of(s, -1);
            }
        }
        return n;
    }

    /** Cells taken by one code point: 0, 1 or 2. */
    static int of(int cp) {
        if (cp < 0x300) { // nothing below the combining diacritics is wide or combining (0xAD SHY aside)
            return cp == 0xAD ? 0 : 1;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0x1160 && cp <= 0x11FF)) {
            return 0;
        }
        return isWide(cp) ? 2 : 1;
    }

    private static boolean isWide(int cp) {
        if (cp < WIDE[0] || cp > WIDE[WIDE.length - 1]) {
            return false;
        }
        int i = Arrays.binarySearch(WIDE, cp);
        // Found: cp is a range bound. Not found: insertion point after a start (odd) means inside a range.
        return i >= 0 || ((-i - 1) & 1) == 1;
    }

    /** Inclusive [start, end] pairs, sorted. */
    private static final int[] WIDE = {
            0x1100, 0x115F, 0x231A, 0x231B, 0x2329, 0x232A, 0x23E9, 0x23EC, 0x23F0, 0x23F0,
            0x23F3, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615, 0x2648, 0x2653, 0x267F, 0x267F,
            0x2693, 0x2693, 0x26A1, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5,
            0x26CE, 0x26CE, 0x26D4, 0x26D4, 0x26EA, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26F5,
            0x26FA, 0x26FA, 0x26FD, 0x26FD, 0x2705, 0x2705, 0x270A, 0x270B, 0x2728, 0x2728,
            0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797,
            0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55,
            0x2E80, 0x303E, 0x3041, 0x3247, 0x3250, 0x4DBF, 0x4E00, 0xA4C6, 0xA960, 0xA97C,
            0xAC00, 0xD7A3, 0xF900, 0xFAFF, 0xFE10, 0xFE19, 0xFE30, 0xFE6B, 0xFF01, 0xFF60,
            0xFFE0, 0xFFE6, 0x16FE0, 0x1B2FB, 0x1F004, 0x1F004, 0x1F0CF, 0x1F0CF, 0x1F18E, 0x1F18E,
            0x1F191, 0x1F19A, 0x1F200, 0x1F320, 0x1F32D, 0x1F335, 0x1F337, 0x1F37C, 0x1F37E, 0x1F393,
            0x1F3A0, 0x1F3CA, 0x1F3CF, 0x1F3D3, 0x1F3E0, 0x1F3F0, 0x1F3F4, 0x1F3F4, 0x1F3F8, 0x1F43E,
            0x1F440, 0x1F440, 0x1F442, 0x1F4FC, 0x1F4FF, 0x1F53D, 0x1F54B, 0x1F54E, 0x1F550, 0x1F567,
            0x1F57A, 0x1F57A, 0x1F595, 0x1F596, 0x1F5A4, 0x1F5A4, 0x1F5FB, 0x1F64F, 0x1F680, 0x1F6C5,
            0x1F6CC, 0x1F6CC, 0x1F6D0, 0x1F6D2, 0x1F6D5, 0x1F6DF, 0x1F6EB, 0x1F6EC, 0x1F6F4, 0x1F6FC,
            0x1F7E0, 0x1F7F0, 0x1F90C, 0x1F93A, 0x1F93C, 0x1F945, 0x1F947, 0x1F9FF, 0x1FA70, 0x1FAFF,
            0x20000, 0x3FFFD,
    };
}
