package dev.netwarden.conns.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The cells of one table row as UTF-8 byte ranges in one reused buffer, each with its width in
 * terminal cells (the unit the table pads in: {@link DisplayWidth}, so a wide character counts two and a
 * combining one none). Why bytes and not Strings: at 100k rows the String per cell, the char-to-byte
 * encoding and the garbage they made were most of the table's time; here a row costs no allocation at
 * all. The width of a {@link Text} is measured once when it is made, and for ASCII it is its byte count.
 *
 * <p>A cell is written between {@link #begin(int)} and {@link #end(int)} with the append methods; a
 * cell never written is empty. Not thread-safe; one per formatter.
 */
final class TableCells {
    /** UTF-8 bytes of a piece of text with its width in terminal cells. */
    record Text(byte[] utf8, int width) {
        static Text of(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return new Text(utf8, DisplayWidth.of(s, utf8.length));
        }

        static final Text EMPTY = of("");
    }

    private final int[] start;
    private final int[] end;
    private final int[] width;
    private byte[] buf = new byte[512];
    private int length;
    private int open = -1;
    private int widthDelta;

    TableCells(int columns) {
        start = new int[columns];
        end = new int[columns];
        width = new int[columns];
    }

    /** Empties every cell. */
    void clear() {
        Arrays.fill(start, 0);
        Arrays.fill(end, 0);
        Arrays.fill(width, 0);
        length = 0;
        open = -1;
    }

    /** Empties the cells {@code [from, to)}; their bytes stay in the buffer until {@link #clear()}. */
    void clear(int from, int to) {
        for (int c = from; c < to; c++) {
            start[c] = end[c] = width[c] = 0;
        }
    }

    void begin(int column) {
        open = column;
        start[column] = length;
        widthDelta = 0;
    }

    void end(int column) {
        end[column] = length;
        width[column] = length - start[column] + widthDelta;
        open = -1;
    }

    /** A whole cell of known text. */
    void set(int column, Text text) {
        begin(column);
        append(text);
        end(column);
    }

    /** A whole cell holding a decimal number. */
    void setLong(int column, long v) {
        begin(column);
        appendLong(v);
        end(column);
    }

    void append(Text text) {
        byte[] b = text.utf8();
        ensure(b.length);
        System.arraycopy(b, 0, buf, length, b.length);
        length += b.length;
        widthDelta += text.width() - b.length;
    }

    /** Appends ASCII bytes (one cell each). */
    void append(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, buf, length, ascii.length);
        length += ascii.length;
    }

    void appendAscii(char c) {
        ensure(1);
        buf[length++] = (byte) c;
    }

    void appendLong(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                append(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            buf[length++] = '-';
            v = -v;
        }
        if (v <= Integer.MAX_VALUE) {
            appendInt((int) v); // int division: C1 calls into the runtime for every long one
            return;
        }
        int digits = 1;
        for (long p = v; p >= 10; p /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length += digits;
    }

    private void appendInt(int v) {
        int digits = 1;
        for (int p = v; p >= 10; p /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length += digits;
    }

    void appendHex(long v) {
        ensure(16);
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        length += digits;
    }

    boolean isEmpty(int column) {
        return end[column] == start[column];
    }

    /** Width of the cell in terminal cells. */
    int width(int column) {
        return width[column];
    }

    int byteLength(int column) {
        return end[column] - start[column];
    }

    /** Copies the cell's bytes into {@code dst} at {@code at}. */
    void copyTo(int column, byte[] dst, int at) {
        System.arraycopy(buf, start[column], dst, at, end[column] - start[column]);
    }

    private void ensure(int n) {
        if (length + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
}
