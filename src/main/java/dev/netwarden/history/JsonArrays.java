package dev.netwarden.history;

import dev.netwarden.process.ProcessSnapshot;

import java.util.List;

/**
 * The two JSON arrays stored in text columns (a process's argv and its parent chain). Written by
 * hand: a handful of strings per new process does not warrant an object mapper on the writer path.
 */
final class JsonArrays {
    private JsonArrays() {
    }

    static String strings(List<String> values) {
        StringBuilder sb = new StringBuilder(64).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    static String parents(List<ProcessSnapshot.ParentLink> parents) {
        StringBuilder sb = new StringBuilder(64).append('[');
        for (int i = 0; i < parents.size(); i++) {
            ProcessSnapshot.ParentLink p = parents.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"pid\":").append(p.pid()).append(",\"comm\":");
            quote(sb, p.comm());
            sb.append(",\"exe\":");
            quote(sb, p.exe());
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    static void quote(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !validPair(s, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
