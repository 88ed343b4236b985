package dev.netwarden.lists;

import java.util.Objects;

/**
 * Parses a list in a given or detected format. A pure function of the bytes: content never makes it
 * throw; bad lines are counted in the {@link ParseReport} and the rest is taken.
 */
public final class ListParser {
    private ListParser() {
    }

    /** Parses {@code data} as {@code format}, or the detected format when {@code format} is null. */
    static ParseReport parse(byte[] data, ListFormat format, ListSink sink) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(sink, "sink is null");
        boolean detected = format == null;
        ListFormat f = detected ? ListFormat.detect(data) : format;
        ReportBuilder report = new ReportBuilder(f, detected);
        LineScanner line = new LineScanner(data);
        switch (f) {
            case HOSTS -> HostsFileParser.parse(line, sink, report);
            case DOMAINS -> DomainListParser.parse(line, sink, report);
            case ADBLOCK -> AdblockParser.parse(line, sink, report);
            case ADDRESSES -> AddressListParser.parse(line, sink, report);
        }
        return report.build();
    }

    /** Parses {@code data} into a {@link ParsedList} (sets ready for lookups). */
    public static ParsedList parse(byte[] data, ListFormat format) {
        ParsedList.Builder builder = new ParsedList.Builder();
        ParseReport report = parse(data, format, builder);
        return builder.build(report);
    }
}
