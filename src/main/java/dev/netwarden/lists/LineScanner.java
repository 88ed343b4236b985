package dev.netwarden.lists;

/**
 * Walks the lines of a list file in place: LF or CRLF endings, a UTF-8 byte order mark skipped,
 * leading and trailing blanks trimmed. Also splits a line into whitespace-separated fields.
 */
final class LineScanner {
    private final byte[] data;
    private int next;
    private long number;
    private int start;
    private int end;
    private int field;

    LineScanner(byte[] data) {
        this.data = data;
        this.next = data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB && (data[2] & 0xff) == 0xBF ? 3 : 0;
    }

    /** Moves to the next line; false at the end of the data. */
    boolean nextLine() {
        if (next >= data.length) {
            return false;
        }
        int s = next;
        int e = s;
        while (e < data.length && data[e] != '\n') {
            e++;
        }
        next = e + 1;
        number++;
        while (s < e && isBlank(data[s])) {
            s++;
        }
        while (e > s && isBlank(data[e - 1])) {
            e--;
        }
        start = s;
        end = e;
        field = s;
        return true;
    }

    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0b;
    }

    byte[] data() {
        return data;
    }

    long number() {
        return number;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    boolean isEmpty() {
        return start == end;
    }

    byte first() {
        return data[start];
    }

    boolean startsWith(String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Ends the line at the first {@code marker} that starts the line or follows a blank (an inline comment). */
    void cutComment(char marker) {
        for (int i = start; i < end; i++) {
            if (data[i] == marker && (i == start || isBlank(data[i - 1]))) {
                end = i;
                while (end > start && isBlank(data[end - 1])) {
                    end--;
                }
                return;
            }
        }
    }

    /** Start of the next field (set {@link #fieldEnd}), or -1 when the line has no more fields. */
    int nextField() {
        int s = field;
        while (s < end && isBlank(data[s])) {
            s++;
        }
        if (s >= end) {
            field = end;
            return -1;
        }
        int e = s;
        while (e < end && !isBlank(data[e])) {
            e++;
        }
        field = e;
        fieldEnd = e;
        return s;
    }

    private int fieldEnd;

    int fieldEnd() {
        return fieldEnd;
    }

    String text(int from, int to) {
        return new String(data, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
