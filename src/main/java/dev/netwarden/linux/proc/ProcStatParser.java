package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses {@code /proc/PID/stat}: {@code pid (comm) state ppid pgrp ... starttime ...}.
 *
 * <p>Why from the last ')': comm is whatever the program named itself (up to 15 bytes) and may
 * contain spaces, '(' and ')', so splitting on spaces or stopping at the first ')' misreads every
 * field after it. The kernel prints no ')' after comm's closing one, so the last ')' is the end of comm.
 */
public final class ProcStatParser {
    /** Field 22 (starttime) is the 20th field after comm's ')' ; state is the 1st. */
    private static final int START_TIME_FIELD_AFTER_COMM = 20;

    private ProcStatParser() {
    }

    /**
     * @param bytes the file's content (a trailing newline is allowed)
     * @param length how many bytes of {@code bytes} are valid
     * @throws MalformedProcFileException when there is no "(comm)" or fields 3..22 are missing or not numbers
     */
    public static ProcStat parse(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        int open = indexOf(bytes, length, (byte) '(');
        int close = lastIndexOf(bytes, length, (byte) ')');
        if (open < 0 || close < open) {
            throw new MalformedProcFileException("stat: no (comm)");
        }
        String comm = new String(bytes, open + 1, close - open - 1, StandardCharsets.UTF_8);
        int pos = close + 1;
        char state = 0;
        int ppid = -1;
        long startTicks = -1;
        for (int field = 1; field <= START_TIME_FIELD_AFTER_COMM; field++) {
            if (pos >= length || bytes[pos] != ' ') {
                throw new MalformedProcFileException("stat: field " + (field + 2) + " missing");
            }
            pos++;
            int end = pos;
            while (end < length && bytes[end] != ' ' && bytes[end] != '\n') {
                end++;
            }
            if (end == pos) {
                throw new MalformedProcFileException("stat: field " + (field + 2) + " empty");
            }
            if (field == 1) {
                if (end - pos != 1 || bytes[pos] < 'A' || bytes[pos] > 'z') {
                    throw new MalformedProcFileException("stat: bad state");
                }
                state = (char) bytes[pos];
            } else if (field == 2) {
                long v = parseDecimal(bytes, pos, end, "ppid");
                if (v > Integer.MAX_VALUE) {
                    throw new MalformedProcFileException("stat: ppid out of range");
                }
                ppid = (int) v;
            } else if (field == START_TIME_FIELD_AFTER_COMM) {
                startTicks = parseDecimal(bytes, pos, end, "starttime");
            }
            pos = end;
        }
        return new ProcStat(comm, state, ppid, startTicks);
    }

    public static ProcStat parse(byte[] bytes) {
        return parse(bytes, bytes.length);
    }

    /** A non-negative decimal that fits in a long. */
    static long parseDecimal(byte[] b, int from, int to, String what) {
        if (from >= to) {
            throw new MalformedProcFileException(what + ": empty number");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new MalformedProcFileException(what + ": not a number");
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw new MalformedProcFileException(what + ": number too large");
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int indexOf(byte[] b, int length, byte c) {
        for (int i = 0; i < length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int length, byte c) {
        for (int i = length - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
