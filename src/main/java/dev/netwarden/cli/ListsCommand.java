package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.lists.IpNetwork;
import dev.netwarden.lists.LineNote;
import dev.netwarden.lists.ListFetcher;
import dev.netwarden.lists.ListFormat;
import dev.netwarden.lists.ListParser;
import dev.netwarden.lists.ParseReport;
import dev.netwarden.lists.ParsedList;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.netwarden.cli.OptionSpecs.help;

/**
 * {@code netwarden lists}: block lists without the daemon. {@code check} parses one list file or URL
 * and says what it found; {@code lookup} says whether a domain or address is on some lists and which
 * entry covers it. Built with picocli's programmatic API like {@link ConnsCommand}.
 */
final class ListsCommand implements Runnable {
    /** Exit code of {@code lookup} when the name is on none of the lists (as grep). */
    static final int EXIT_NOT_LISTED = 1;
    /** Exit code when a list could not be read or downloaded. */
    static final int EXIT_UNREADABLE = 3;
    static final long MAX_BYTES = 256L << 20;

    private final CommandSpec spec;

    private ListsCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("lists");
        spec.usageMessage().description("Check block lists and look names up in them.");
        spec.addOption(help());
        spec.addSubcommand("check", new CommandLine(Check.spec()));
        spec.addSubcommand("lookup", new CommandLine(Lookup.spec()));
    }

    static CommandSpec spec() {
        return new ListsCommand().spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    private static OptionSpec formatOption() {
        return OptionSpec.builder("--format").paramLabel("FORMAT").type(String.class)
                .description("hosts, domains, adblock or addresses (default: detected).").build();
    }

    private static OptionSpec jsonOption() {
        return OptionSpec.builder("--json").type(boolean.class).description("JSON output.").build();
    }

    private static ListFormat format(CommandSpec spec, OptionSpec option) {
        String value = option.getValue();
        if (value == null) {
            return null;
        }
        try {
            return ListFormat.fromLabel(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The list's bytes from a file or a URL (plain GET, 256 MB cap, 2 minutes). */
    static byte[] read(String source) throws IOException {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            ListFetcher fetcher = new ListFetcher(Duration.ofSeconds(10), Duration.ofMinutes(2), MAX_BYTES);
            return ((ListFetcher.Result.Fetched) fetcher.fetch(source, null, null)).body();
        }
        Path path = Path.of(source);
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException("over " + MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(path);
    }

    /**
     * The list's bytes, or null after saying on stderr why {@code location} could not be read (the
     * caller then exits with {@link #EXIT_UNREADABLE}).
     */
    private static byte[] readOrReport(CommandSpec spec, String location) {
        try {
            return read(location);
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("netwarden: " + safe(location) + ": " + safe(String.valueOf(e.getMessage())));
            return null;
        }
    }

    private static String safe(String text) {
        return TerminalText.sanitize(text);
    }

    /** {@code netwarden lists check FILE|URL [--format F] [--json]}. */
    static final class Check implements Callable<Integer> {
        private final OptionSpec format = formatOption();
        private final OptionSpec json = jsonOption();
        private final PositionalParamSpec source = PositionalParamSpec.builder().paramLabel("FILE|URL").type(String.class).required(true)
                .description("The list: a file path or an http(s) URL.").build();
        private final CommandSpec spec;

        private Check() {
            spec = CommandSpec.wrapWithoutInspection(this).name("check");
            spec.usageMessage().description("Parse a block list and report its format, entries and the lines it could not use.")
                    .footer("", "Exit status: 0 ok, 2 bad arguments, 3 the list could not be read.");
            spec.addOption(format);
            spec.addOption(json);
            spec.addOption(help());
            spec.addPositional(source);
        }

        static CommandSpec spec() {
            return new Check().spec;
        }

        @Override
        public Integer call() {
            ListFormat forced = format(spec, format);
            String location = source.getValue();
            PrintWriter out = spec.commandLine().getOut();
            byte[] data = readOrReport(spec, location);
            if (data == null) {
                return EXIT_UNREADABLE;
            }
            ParsedList list = ListParser.parse(data, forced);
            ParseReport r = list.report();
            if (Boolean.TRUE.equals(json.getValue())) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("source", location);
                doc.put("format", r.format().label());
                doc.put("format_detected", r.detected());
                doc.put("lines", r.lines());
                doc.put("domains", r.domains());
                doc.put("distinct_domains", list.domains().size());
                doc.put("networks", r.networks());
                doc.put("skipped", r.skipped());
                doc.put("bad", r.bad());
                doc.put("skipped_examples", notes(r.skippedExamples()));
                doc.put("bad_examples", notes(r.badExamples()));
                out.println(JsonMapper.builder().build().writeValueAsString(doc));
            } else {
                out.printf("source     %s%n", safe(location));
                out.printf("format     %s%s%n", r.format().label(), r.detected() ? " (detected)" : "");
                out.printf("lines      %d%n", r.lines());
                out.printf("domains    %d (%d distinct)%n", r.domains(), list.domains().size());
                out.printf("networks   %d%n", r.networks());
                out.printf("skipped    %d%n", r.skipped());
                print(out, r.skippedExamples());
                out.printf("bad        %d%n", r.bad());
                print(out, r.badExamples());
            }
            out.flush();
            return 0;
        }

        private static List<Map<String, Object>> notes(List<LineNote> notes) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (LineNote n : notes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", n.line());
                m.put("reason", n.reason());
                m.put("text", n.text());
                out.add(m);
            }
            return out;
        }

        private static void print(PrintWriter out, List<LineNote> notes) {
            for (LineNote n : notes) {
                out.printf("  line %d: %s: %s%n", n.line(), n.reason(), safe(n.text()));
            }
        }
    }

    /** {@code netwarden lists lookup NAME FILE|URL... [--format F] [--json]}. */
    static final class Lookup implements Callable<Integer> {
        private final OptionSpec format = formatOption();
        private final OptionSpec json = jsonOption();
        private final PositionalParamSpec name = PositionalParamSpec.builder().index("0").paramLabel("NAME").type(String.class).required(true)
                .description("A domain name or an IP address.").build();
        private final PositionalParamSpec sources = PositionalParamSpec.builder().index("1..*").arity("1..*").required(true)
                .paramLabel("FILE|URL").type(List.class).auxiliaryTypes(String.class)
                .description("The lists to look in.").build();
        private final CommandSpec spec;

        private Lookup() {
            spec = CommandSpec.wrapWithoutInspection(this).name("lookup");
            spec.usageMessage().description("Say whether a domain (or one of its parents) or an address is on the lists, and which entries cover it.")
                    .footer("", "Exit status: 0 listed, 1 not listed, 2 bad arguments, 3 a list could not be read.");
            spec.addOption(format);
            spec.addOption(json);
            spec.addOption(help());
            spec.addPositional(name);
            spec.addPositional(sources);
        }

        static CommandSpec spec() {
            return new Lookup().spec;
        }

        @Override
        public Integer call() {
            ListFormat forced = format(spec, format);
            String query = name.getValue();
            InetAddress address = null;
            if (query.indexOf(':') >= 0 || query.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                try {
                    IpNetwork n = IpNetwork.parse(query);
                    if (n.prefix() != n.address().length * 8) {
                        throw new IllegalArgumentException("a network, not an address");
                    }
                    address = InetAddress.getByAddress(n.address());
                } catch (IllegalArgumentException | java.net.UnknownHostException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "'" + safe(query) + "' is not an IP address");
                }
            }
            List<Map<String, Object>> results = new ArrayList<>();
            boolean listed = false;
            for (String location : sources.<List<String>>getValue()) {
                byte[] data = readOrReport(spec, location);
                if (data == null) {
                    return EXIT_UNREADABLE;
                }
                List<String> covering = address == null ? coveringDomains(data, forced, query) : coveringNetworks(data, forced, address);
                listed |= !covering.isEmpty();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("list", location);
                m.put("listed", !covering.isEmpty());
                m.put("entries", covering);
                results.add(m);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (Boolean.TRUE.equals(json.getValue())) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("name", query);
                doc.put("listed", listed);
                doc.put("lists", results);
                out.println(JsonMapper.builder().build().writeValueAsString(doc));
            } else {
                for (Map<String, Object> m : results) {
                    @SuppressWarnings("unchecked")
                    List<String> entries = (List<String>) m.get("entries");
                    out.printf("%s: %s%s%n", safe((String) m.get("list")), entries.isEmpty() ? "not listed" : "listed by ",
                            safe(String.join(", ", entries)));
                }
            }
            out.flush();
            return listed ? 0 : EXIT_NOT_LISTED;
        }

        private static List<String> coveringDomains(byte[] data, ListFormat format, String query) {
            return ListParser.parse(data, format).domains().covering(query);
        }

        /** Every listed network (as written, host bits cleared) that contains {@code address}: a scan, the CLI needs no speed. */
        private static List<String> coveringNetworks(byte[] data, ListFormat format, InetAddress address) {
            List<String> found = new ArrayList<>();
            ListFormat f = format == null ? ListFormat.detect(data) : format;
            if (f != ListFormat.ADDRESSES) {
                return found;
            }
            for (String line : new String(data, StandardCharsets.ISO_8859_1).split("\n")) {
                String text = line.replaceAll("(^|\\s)[#;].*$", "").strip();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    IpNetwork n = IpNetwork.parse(text);
                    if (n.contains(address)) {
                        found.add(n.toString());
                    }
                } catch (IllegalArgumentException bad) {
                    // reported by "lists check"
                }
            }
            return found;
        }
    }
}
