package dev.netwarden.lists;

import java.util.Objects;

/**
 * One line a parser did not take, with why: for the "first few bad lines" in reports. {@code text}
 * is the raw line (cut to {@link #MAX_TEXT} characters), untrusted: escape it before printing.
 */
public record LineNote(long line, String reason, String text) {
    static final int MAX_TEXT = 120;

    public LineNote {
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(text, "text is null");
    }
}
