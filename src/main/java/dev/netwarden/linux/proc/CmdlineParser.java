package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits {@code /proc/PID/cmdline} (argv, each argument NUL-terminated) into arguments.
 *
 * <p>What the process did to its argv shows through, and is kept as is: a program that rewrote its
 * title into one string ("nginx: worker process", "postgres: checkpointer") gives one argument with
 * spaces (splitting it on spaces would invent arguments); padding NULs left after a shorter title are
 * dropped; empty arguments in the middle are real and kept. A kernel thread (and a zombie) has an
 * empty cmdline: empty list. Bytes are decoded as UTF-8 with replacement, so this never throws.
 */
public final class CmdlineParser {
    private CmdlineParser() {
    }

    public static List<String> parse(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        int end = length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return List.copyOf(args);
    }

    public static List<String> parse(byte[] bytes) {
        return parse(bytes, bytes.length);
    }
}
