package dev.netwarden.lists;

import java.util.List;
import java.util.Objects;

/**
 * What parsing one list found. Lines that are blank or comments count only in {@code lines};
 * {@code skipped} are well-formed lines that do not block a domain or address (adblock exceptions,
 * cosmetic and regex rules, {@code localhost} in a hosts file); {@code bad} are lines that could not
 * be read. The first few of each are kept as examples.
 *
 * @param detected true when {@code format} was detected rather than given
 * @param domains  domain entries taken (duplicates included)
 * @param networks address and network entries taken
 */
public record ParseReport(
        ListFormat format,
        boolean detected,
        long lines,
        long domains,
        long networks,
        long skipped,
        long bad,
        List<LineNote> skippedExamples,
        List<LineNote> badExamples) {

    public ParseReport {
        Objects.requireNonNull(format, "format is null");
        skippedExamples = List.copyOf(skippedExamples);
        badExamples = List.copyOf(badExamples);
    }

    public long entries() {
        return domains + networks;
    }
}
