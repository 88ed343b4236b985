package dev.netwarden.linux.proc;

import java.util.Objects;

/**
 * Reads the uids from {@code /proc/PID/status} ({@code Uid:\treal\teffective\tsaved\tfs}).
 *
 * <p>Why status and not the owner of /proc/PID: the directory's owner is the effective uid only while
 * the process is "dumpable"; setuid programs and processes that called {@code prctl(PR_SET_DUMPABLE, 0)}
 * (sshd, many daemons) show root there whatever their uid. The Uid line is always the truth.
 */
public final class ProcStatusParser {
    private static final byte[] UID_KEY = {'U', 'i', 'd', ':'};

    private ProcStatusParser() {
    }

    /**
     * @throws MalformedProcFileException when there is no Uid line or it has fewer than two numbers
     */
    public static ProcUids parseUids(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        int line = 0;
        while (line < length) {
            int end = line;
            while (end < length && bytes[end] != '\n') {
                end++;
            }
            if (startsWith(bytes, line, end, UID_KEY)) {
                return parseUidLine(bytes, line + UID_KEY.length, end);
            }
            line = end + 1;
        }
        throw new MalformedProcFileException("status: no Uid line");
    }

    public static ProcUids parseUids(byte[] bytes) {
        return parseUids(bytes, bytes.length);
    }

    private static ProcUids parseUidLine(byte[] b, int pos, int end) {
        long[] ids = new long[2];
        for (int i = 0; i < ids.length; i++) {
            while (pos < end && (b[pos] == '\t' || b[pos] == ' ')) {
                pos++;
            }
            int start = pos;
            while (pos < end && b[pos] != '\t' && b[pos] != ' ') {
                pos++;
            }
            if (start == pos) {
                throw new MalformedProcFileException("status: Uid line has fewer than 2 ids");
            }
            ids[i] = ProcStatParser.parseDecimal(b, start, pos, "uid");
            if (ids[i] > 0xFFFF_FFFFL) {
                throw new MalformedProcFileException("status: uid out of range");
            }
        }
        return new ProcUids((int) ids[0], (int) ids[1]);
    }

    private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
