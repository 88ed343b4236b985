package dev.netwarden.cli;

import dev.netwarden.history.HistoryQuery;
import dev.netwarden.history.HistoryReader;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.TimeArgument;
import dev.netwarden.history.view.HistoryOutput;
import dev.netwarden.history.view.HistoryViews;
import dev.netwarden.history.view.ResultTable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import static dev.netwarden.cli.OptionSpecs.flag;
import static dev.netwarden.cli.OptionSpecs.value;

/**
 * {@code netwarden history}: what the daemon recorded, for a time range, filtered, as a list of
 * connections or one of the aggregate views. Reads the SQLite file read-only, so it works while the
 * daemon writes. The picocli model is programmatic for the reason given in {@link ConnsCommand}.
 */
final class HistoryCommand implements Callable<Integer> {
    static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/netwarden");

    private final OptionSpec dataDir = value("--data-dir", "DIR", "The daemon's data directory (default: /var/lib/netwarden).");
    private final OptionSpec since = value("--since", "TIME", "Start of the range: 15m, 2h, 7d ago, or ISO-8601 (default: 24h).");
    private final OptionSpec until = value("--until", "TIME", "End of the range, same forms (default: now).");
    private final OptionSpec app = value("--app", "NAME", "Only this app: process name (comm) or executable file name.");
    private final OptionSpec exe = value("--exe", "PATH", "Only this executable (full path).");
    private final OptionSpec host = value("--host", "DOMAIN", "Only this domain, or *.example.com for it and its subdomains.");
    private final OptionSpec addr = value("--addr", "ADDR[/LEN]", "Only this remote address or network (CIDR).");
    private final OptionSpec port = OptionSpec.builder("--port").paramLabel("PORT").type(Integer.class)
            .description("Only this port (remote; local for inbound and listening sockets).").build();
    private final OptionSpec user = value("--user", "USER", "Only processes of this user (name or uid).");
    private final OptionSpec proto = value("--proto", "PROTO", "Only tcp, udp, icmp or raw.");
    private final OptionSpec direction = value("--direction", "DIR", "Only outbound, inbound, listen or unknown.");
    private final OptionSpec action = value("--action", "ACTION", "Only connections the firewall decided so: allow, deny or reject.");
    private final OptionSpec top = value("--top", "WHAT", "Rank instead of listing: apps (by bytes) or destinations.");
    private final OptionSpec firstSeen = value("--first-seen", "WHAT", "Apps or domains first seen in the range.");
    private final OptionSpec series = value("--series", "STEP", "A time series: hourly (connections and bytes per hour).");
    private final OptionSpec alerts = flag("--alerts", "Alerts raised in the range.");
    private final OptionSpec limit = OptionSpec.builder("--limit").paramLabel("N").type(Integer.class)
            .description("Most rows to show (default: 100).").build();
    private final OptionSpec json = flag("--json", "JSON output (schema netwarden.history/1: docs/history-json.md).");
    private final OptionSpec csv = flag("--csv", "CSV output.");
    private final CommandSpec spec;

    private HistoryCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("history");
        spec.usageMessage()
                .sortOptions(false)
                .autoWidth(true)
                .description(
                        "Show recorded connections, rankings and alerts from the daemon's history.",
                        "",
                        "Default view: the connections started in the range, newest first. Examples:",
                        "  netwarden history --since 2h --app curl",
                        "  netwarden history --since 1h --action deny      (blocked attempts)",
                        "  netwarden history --top apps --since 7d",
                        "  netwarden history --top destinations --host '*.example.com'",
                        "  netwarden history --first-seen domains --since 1d --json")
                .footer("", "Exit status: 0 ok, 1 the history could not be read, 2 bad arguments.");
        for (OptionSpec o : List.of(dataDir, since, until, app, exe, host, addr, port, user, proto, direction, action, top,
                firstSeen, series, alerts, limit, json, csv)) {
            spec.addOption(o);
        }
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new HistoryCommand().spec;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        CommandLine.ParseResult parsed = cl.getParseResult();
        if (set(parsed, json) && set(parsed, csv)) {
            throw usage("--json and --csv exclude each other");
        }
        int views = (set(parsed, top) ? 1 : 0) + (set(parsed, firstSeen) ? 1 : 0) + (set(parsed, series) ? 1 : 0)
                + (set(parsed, alerts) ? 1 : 0);
        if (views > 1) {
            throw usage("choose one view: --top, --first-seen, --series or --alerts");
        }
        String topValue = choice(parsed, top, Set.of("apps", "destinations"));
        String firstSeenValue = choice(parsed, firstSeen, Set.of("apps", "domains"));
        String seriesValue = choice(parsed, series, Set.of("hourly"));
        HistoryQuery query = query(parsed);
        Path dir = set(parsed, dataDir) ? Path.of(dataDir.<String>getValue()) : DEFAULT_DATA_DIR;
        PrintWriter out = cl.getOut();
        try (HistoryStore store = HistoryStore.openReadOnly(dir)) {
            HistoryReader reader = new HistoryReader(store);
            ResultTable table;
            if (topValue != null) {
                table = topValue.equals("apps") ? HistoryViews.topApps(reader.topApps(query))
                        : HistoryViews.topDestinations(reader.topDestinations(query, HistoryReader.DestinationOrder.BYTES));
            } else if (firstSeenValue != null) {
                table = firstSeenValue.equals("apps") ? HistoryViews.firstSeenApps(reader.firstSeenApps(query))
                        : HistoryViews.firstSeenDomains(reader.firstSeenDomains(query));
            } else if (seriesValue != null) {
                table = HistoryViews.hourly(reader.hourly(query));
            } else if (set(parsed, alerts)) {
                table = HistoryViews.alerts(reader.alerts(query));
            } else {
                table = HistoryViews.connections(reader.connections(query));
            }
            if (set(parsed, json)) {
                HistoryOutput.json(table, query.fromMillis(), query.untilMillis(), out);
            } else if (set(parsed, csv)) {
                HistoryOutput.csv(table, out);
            } else {
                HistoryOutput.table(table, ZoneId.systemDefault(), out);
            }
        } catch (HistoryStore.HistoryException e) {
            cl.getErr().println("netwarden: " + e.getMessage());
            return Main.EXIT_KERNEL;
        }
        return 0;
    }

    private HistoryQuery query(CommandLine.ParseResult parsed) {
        Instant now = Instant.now();
        ZoneId zone = ZoneId.systemDefault();
        long from;
        long to;
        try {
            from = set(parsed, since) ? TimeArgument.parse(since.getValue(), now, zone) : now.minusSeconds(86_400).toEpochMilli();
            to = set(parsed, until) ? TimeArgument.parse(until.getValue(), now, zone) : now.toEpochMilli() + 1;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (to < from) {
            throw usage("--until is before --since");
        }
        HistoryQuery q = HistoryQuery.between(from, to);
        if (set(parsed, limit)) {
            int n = limit.<Integer>getValue();
            if (n < 1) {
                throw usage("--limit must be at least 1");
            }
            q = q.withLimit(n);
        }
        q = q.withApp(string(parsed, app)).withExe(string(parsed, exe)).withHost(string(parsed, host))
                .withUser(string(parsed, user))
                .withTransport(choice(parsed, proto, Set.of("tcp", "udp", "icmp", "raw")))
                .withDirection(choice(parsed, direction, Set.of("outbound", "inbound", "listen", "unknown")))
                .withAction(choice(parsed, action, Set.of("allow", "deny", "reject")));
        if (set(parsed, port)) {
            int p = port.<Integer>getValue();
            if (p < 0 || p > 65535) {
                throw usage("--port must be 0..65535");
            }
            q = q.withPort(p);
        }
        if (set(parsed, addr)) {
            q = withAddress(q, addr.getValue());
        }
        return q;
    }

    private HistoryQuery withAddress(HistoryQuery q, String text) {
        int slash = text.indexOf('/');
        String a = slash < 0 ? text : text.substring(0, slash);
        if (a.isEmpty() || !(a.indexOf(':') >= 0 || a.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
            throw usage("--addr: '" + text + "' is not an IP address or network");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(a); // a literal only: checked above, so no DNS lookup
        } catch (UnknownHostException e) {
            throw usage("--addr: '" + text + "' is not an IP address or network");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw usage("--addr: prefix length must be 0.." + bits + " in '" + text + "'");
            }
        }
        return q.withAddress(address, prefix);
    }

    private String choice(CommandLine.ParseResult parsed, OptionSpec option, Set<String> allowed) {
        if (!set(parsed, option)) {
            return null;
        }
        String v = option.<String>getValue().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw usage(option.longestName() + ": '" + option.getValue() + "' is not one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v;
    }

    private static String string(CommandLine.ParseResult parsed, OptionSpec option) {
        return set(parsed, option) ? option.getValue() : null;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static boolean set(CommandLine.ParseResult parsed, OptionSpec option) {
        return parsed.hasMatchedOption(option);
    }
}
