package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The target of {@code /proc/PID/exe}. When the executable file was deleted or replaced (a package
 * upgrade, a dropper that removed itself) the kernel appends {@code " (deleted)"} to the path it
 * remembers; that flag is worth showing, so it is split off here.
 *
 * @param path    the executable's path, without the suffix
 * @param deleted true when the kernel marked the file deleted
 */
public record ExeLink(String path, boolean deleted) {
    private static final String DELETED_SUFFIX = " (deleted)";

    public ExeLink {
        Objects.requireNonNull(path, "path is null");
    }

    /**
     * The link as the kernel gave it: bytes, decoded as UTF-8 (malformed bytes become U+FFFD), as
     * {@link CmdlineParser} decodes the same path in cmdline.
     *
     * @param target what readlink wrote; only the first {@code length} bytes are read
     * @throws MalformedProcFileException when the target is not an absolute path
     */
    public static ExeLink parse(byte[] target, int length) {
        Objects.checkFromIndexSize(0, length, Objects.requireNonNull(target, "target is null").length);
        return parse(new String(target, 0, length, StandardCharsets.UTF_8));
    }

    /**
     * @param target what readlink returned
     * @throws MalformedProcFileException when the target is not an absolute path (the kernel always gives one)
     */
    public static ExeLink parse(String target) {
        Objects.requireNonNull(target, "target is null");
        boolean deleted = target.endsWith(DELETED_SUFFIX);
        String path = deleted ? target.substring(0, target.length() - DELETED_SUFFIX.length()) : target;
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new MalformedProcFileException("exe: not an absolute path");
        }
        return new ExeLink(path, deleted);
    }
}
