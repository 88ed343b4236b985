package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses {@code /proc/PID/cgroup}: lines of {@code hierarchy-id:controllers:path}; the v2 line is
 * {@code 0::path}. The path is everything after the second ':' (it may itself contain ':').
 *
 * <p>The container id is looked for in the chosen path first, then in the other lines' paths (on a
 * hybrid v1/v2 host the v2 path can be "/" while a v1 path names the container).
 * See {@link #containerId(String)} for what counts as an id.
 */
public final class CgroupParser {
    private static final int CONTAINER_ID_LENGTH = 64;

    private CgroupParser() {
    }

    /**
     * @throws MalformedProcFileException when a non-empty line lacks the two ':' separators or the file has no line
     */
    public static CgroupMembership parse(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        String v2 = null;
        String firstV1 = null;
        String idElsewhere = null;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            if (lineEnd > lineStart) {
                int c1 = text.indexOf(':', lineStart);
                int c2 = c1 < 0 || c1 >= lineEnd ? -1 : text.indexOf(':', c1 + 1);
                if (c2 < 0 || c2 >= lineEnd) {
                    throw new MalformedProcFileException("cgroup: line without hierarchy:controllers:path");
                }
                String path = text.substring(c2 + 1, lineEnd);
                boolean unified = c1 == lineStart + 1 && text.charAt(lineStart) == '0' && c2 == c1 + 1;
                if (unified && v2 == null) {
                    v2 = path;
                } else if (!unified && firstV1 == null) {
                    firstV1 = path;
                }
                if (idElsewhere == null) {
                    idElsewhere = containerId(path);
                }
            }
            lineStart = lineEnd + 1;
        }
        String chosen = v2 != null ? v2 : firstV1;
        if (chosen == null) {
            throw new MalformedProcFileException("cgroup: no lines");
        }
        String id = containerId(chosen);
        return new CgroupMembership(chosen, id != null ? id : idElsewhere);
    }

    public static CgroupMembership parse(byte[] bytes) {
        return parse(bytes, bytes.length);
    }

    /**
     * The last run of exactly 64 lowercase hex digits in {@code path} that is not part of a longer
     * word of letters/digits, or null. This covers the runtimes' naming without a list of them:
     * {@code /docker/<id>}, {@code docker-<id>.scope}, {@code cri-containerd-<id>.scope},
     * {@code crio-<id>.scope}, {@code libpod-<id>.scope}, {@code /kubepods/.../<id>}. The last one wins
     * because nested containers (docker in docker) list the outer container first.
     */
    public static String containerId(String path) {
        int n = path.length();
        int i = n;
        while (i > 0) {
            int end = i;
            while (end > 0 && !isHex(path.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && isHex(path.charAt(start - 1))) {
                start--;
            }
            if (end - start == CONTAINER_ID_LENGTH
                    && (start == 0 || !Character.isLetterOrDigit(path.charAt(start - 1)))
                    && (end == n || !Character.isLetterOrDigit(path.charAt(end)))) {
                return path.substring(start, end);
            }
            i = start;
            if (start == end) {
                break;
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
