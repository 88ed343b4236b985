package dev.netwarden.lists;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Counts a parse as it goes and keeps the first {@link #EXAMPLES} skipped and bad lines. */
final class ReportBuilder {
    static final int EXAMPLES = 5;

    private final ListFormat format;
    private final boolean detected;
    private long lines;
    private long domains;
    private long networks;
    private long skipped;
    private long bad;
    private final List<LineNote> skippedExamples = new ArrayList<>();
    private final List<LineNote> badExamples = new ArrayList<>();

    ReportBuilder(ListFormat format, boolean detected) {
        this.format = format;
        this.detected = detected;
    }

    void line() {
        lines++;
    }

    void domain() {
        domains++;
    }

    void network() {
        networks++;
    }

    void skip(LineScanner line, String reason) {
        skipped++;
        if (skippedExamples.size() < EXAMPLES) {
            skippedExamples.add(note(line, reason));
        }
    }

    void bad(LineScanner line, String reason) {
        bad++;
        if (badExamples.size() < EXAMPLES) {
            badExamples.add(note(line, reason));
        }
    }

    private static LineNote note(LineScanner line, String reason) {
        int len = Math.min(line.end() - line.start(), LineNote.MAX_TEXT);
        // ISO-8859-1 keeps every byte visible as one char; the text is for a human, escaped when printed.
        String text = new String(line.data(), line.start(), len, StandardCharsets.ISO_8859_1);
        return new LineNote(line.number(), reason, text);
    }

    ParseReport build() {
        return new ParseReport(format, detected, lines, domains, networks, skipped, bad, skippedExamples, badExamples);
    }
}
