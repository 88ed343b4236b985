package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.DescribedConnection;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.ProcStatParser;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.rules.Condition;
import dev.netwarden.rules.ConditionKind;
import dev.netwarden.rules.OpenSnitchImport;
import dev.netwarden.rules.Rule;
import dev.netwarden.rules.RuleDuration;
import dev.netwarden.rules.RuleFileError;
import dev.netwarden.rules.RuleFileResult;
import dev.netwarden.rules.RuleFiles;
import dev.netwarden.rules.RuleSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.netwarden.cli.OptionSpecs.flag;
import static dev.netwarden.cli.OptionSpecs.help;
import static dev.netwarden.cli.OptionSpecs.value;

/**
 * {@code netwarden rules}: the rule files (docs/rules.md) — add, list in evaluation order, show,
 * remove, enable, disable, test a described connection, and import OpenSnitch rules. Works on the
 * directory only; a running daemon picks changes up by itself. Built with picocli's programmatic API
 * like {@link ConnsCommand}. Everything printed that came from a rule or a flag (hosts, paths, regular
 * expressions) goes through {@link TerminalText}.
 */
final class RulesCommand implements Runnable {
    private final CommandSpec spec;

    private RulesCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("rules");
        spec.usageMessage().description("Manage firewall rules (one file per rule; docs/rules.md).");
        spec.addOption(help());
        spec.addSubcommand("add", new CommandLine(new Add().spec));
        spec.addSubcommand("list", new CommandLine(new ListRules().spec));
        spec.addSubcommand("show", new CommandLine(new IdCommand("show", "Print a rule's file.").spec));
        spec.addSubcommand("rm", new CommandLine(new IdCommand("rm", "Remove a rule (its file).").spec));
        spec.addSubcommand("enable", new CommandLine(new IdCommand("enable", "Enable a rule.").spec));
        spec.addSubcommand("disable", new CommandLine(new IdCommand("disable", "Disable a rule (kept, never matches).").spec));
        spec.addSubcommand("test", new CommandLine(new Test().spec));
        spec.addSubcommand("import-opensnitch", new CommandLine(new ImportOpenSnitch().spec));
    }

    static CommandSpec spec() {
        return new RulesCommand().spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    private static OptionSpec rulesDir() {
        return OptionSpec.builder("--rules-dir").paramLabel("DIR").type(String.class)
                .description("The rules directory (default: /etc/netwarden/rules).").build();
    }

    private static OptionSpec values(String name, String label, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .description(description + " Repeatable: any of the values.").build();
    }

    private static boolean set(CommandSpec spec, OptionSpec o) {
        return spec.commandLine().getParseResult().hasMatchedOption(o);
    }

    private static RuleFiles files(CommandSpec spec, OptionSpec dir) {
        return new RuleFiles(set(spec, dir) ? Path.of(dir.<String>getValue()) : RuleFiles.DEFAULT_DIR);
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String safe(String s) {
        return TerminalText.sanitize(s);
    }

    /** One-line description of a rule's conditions: {@code exe=/usr/bin/curl host=a.com|*.a.com}. */
    static String conditions(Rule r) {
        if (r.conditions().isEmpty()) {
            return "(every connection)";
        }
        StringBuilder b = new StringBuilder();
        for (Condition c : r.conditions()) {
            b.append(b.isEmpty() ? "" : " ").append(c.kind().key()).append('=').append(String.join("|", c.values()));
        }
        if (r.duration() instanceof RuleDuration.UntilExit u) {
            b.append(" pid=").append(u.pid());
        }
        return safe(b.toString());
    }

    // ---------------------------------------------------------------- add

    /** {@code rules add}: writes one rule file from flags. */
    private static final class Add implements Callable<Integer> {
        private final CommandSpec spec;
        private final OptionSpec dir = rulesDir();
        private final OptionSpec id = value("--id", "ID", "The rule's name and file name (default: made from the action and conditions).");
        private final OptionSpec description = value("--description", "TEXT", "Free text.");
        private final OptionSpec action = value("--action", "ACTION", "allow, deny or reject (required).");
        private final OptionSpec duration = value("--duration", "DURATION",
                "always (default), once, until-exit (with --pid), or a length: 90s, 30m, 2h, 7d.");
        private final OptionSpec pid = OptionSpec.builder("--pid").paramLabel("PID").type(Integer.class)
                .description("For --duration until-exit: the process the rule is bound to.").build();
        private final OptionSpec priority = OptionSpec.builder("--priority").paramLabel("N").type(Integer.class)
                .description("-1000..1000, default 0; higher is asked first.").build();
        private final OptionSpec disabled = flag("--disabled", "Write the rule disabled.");
        private final OptionSpec force = flag("--force", "Replace an existing rule of the same id.");
        private final Map<ConditionKind, OptionSpec> conditions = new LinkedHashMap<>();

        Add() {
            spec = CommandSpec.wrapWithoutInspection(this).name("add");
            spec.usageMessage().sortOptions(false).description(
                    "Add a rule: every given condition must match; a repeated flag matches any of its values.",
                    "Examples:",
                    "  netwarden rules add --exe /usr/bin/curl --host testsite.com --action reject",
                    "  netwarden rules add --id no-ads --list ads --action deny --priority 5",
                    "  netwarden rules add --process ssh --port 22 --cidr 10.0.0.0/8 --action allow --duration 2h")
                    .footer("", "Exit status: 0 written, 1 the file could not be written or exists, 2 bad arguments.");
            for (ConditionKind k : ConditionKind.values()) {
                OptionSpec o = values(k.flag(), label(k), describe(k));
                conditions.put(k, o);
            }
            for (OptionSpec o : List.of(action, id, description, duration, pid, priority, disabled, force, dir)) {
                spec.addOption(o);
            }
            conditions.values().forEach(spec::addOption);
            spec.addOption(help());
        }

        private static String label(ConditionKind k) {
            return switch (k) {
                case EXE, PARENT_EXE -> "PATH";
                case EXE_REGEX, CMDLINE_REGEX, HOST_REGEX -> "REGEX";
                case HOST -> "HOST";
                case CIDR -> "ADDR[/LEN]";
                case PORT -> "PORT[-PORT]";
                case SHA256 -> "HEX";
                default -> k.key().toUpperCase(Locale.ROOT);
            };
        }

        private static String describe(ConditionKind k) {
            return switch (k) {
                case PROCESS -> "Process name (comm).";
                case EXE -> "Executable path.";
                case EXE_REGEX -> "Regex found in the executable path.";
                case CMDLINE_REGEX -> "Regex found in the command line.";
                case SHA256 -> "Executable sha256.";
                case PARENT_EXE -> "Executable of the parent or any ancestor.";
                case USER -> "User name or uid.";
                case HOST -> "Domain: name, or *.name for its subdomains (not the name itself).";
                case HOST_REGEX -> "Regex found in the domain (case-insensitive).";
                case CIDR -> "Remote address or network.";
                case PORT -> "Port or range (remote port; local for inbound).";
                case PROTO -> "tcp, udp, icmp or raw.";
                case IFACE -> "Interface name.";
                case DIRECTION -> "outbound, inbound or listen.";
                case LIST -> "Block list name.";
            };
        }

        @Override
        public Integer call() {
            if (!set(spec, action)) {
                throw usage(spec, "--action is required (allow, deny or reject)");
            }
            Action a = switch (action.<String>getValue().toLowerCase(Locale.ROOT)) {
                case "allow" -> Action.ALLOW;
                case "deny" -> Action.DENY;
                case "reject" -> Action.REJECT;
                default -> throw usage(spec, "--action: '" + action.getValue() + "' is not one of allow, deny, reject");
            };
            List<Condition> list = new ArrayList<>();
            for (Map.Entry<ConditionKind, OptionSpec> e : conditions.entrySet()) {
                if (set(spec, e.getValue())) {
                    try {
                        list.add(Condition.of(e.getKey(), e.getValue().<List<String>>getValue()));
                    } catch (IllegalArgumentException ex) {
                        throw usage(spec, e.getKey().flag() + ": " + ex.getMessage());
                    }
                }
            }
            RuleDuration d = duration();
            int prio = set(spec, priority) ? priority.<Integer>getValue() : 0;
            if (prio < -1000 || prio > 1000) {
                throw usage(spec, "--priority must be -1000..1000");
            }
            String ruleId = set(spec, id) ? id.getValue() : defaultId(a, list);
            if (!Rule.validId(ruleId)) {
                throw usage(spec, "--id: '" + safe(ruleId) + "' must be letters, digits, '.', '_', '-' (not starting with '.' or '-')");
            }
            Rule rule = new Rule(ruleId, set(spec, description) ? description.getValue() : "", !set(spec, disabled), a, prio, d, list);
            RuleFiles files = files(spec, dir);
            PrintWriter out = spec.commandLine().getOut();
            try {
                Path p = files.write(rule, set(spec, force));
                out.println("added rule " + safe(rule.id()) + ": " + safe(p.toString()));
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println("netwarden: rule " + safe(ruleId) + " exists: " + safe(files.pathOf(ruleId).toString())
                        + " (use --force to replace it)");
                return Main.EXIT_KERNEL;
            } catch (IOException e) {
                spec.commandLine().getErr().println("netwarden: cannot write the rule: " + safe(String.valueOf(e.getMessage())));
                return Main.EXIT_KERNEL;
            }
            out.flush();
            return 0;
        }

        private RuleDuration duration() {
            String d = set(spec, duration) ? duration.<String>getValue().toLowerCase(Locale.ROOT) : "always";
            if (set(spec, pid) && !d.equals("until-exit")) {
                throw usage(spec, "--pid is only for --duration until-exit");
            }
            return switch (d) {
                case "always" -> RuleDuration.ALWAYS;
                case "once" -> RuleDuration.ONCE;
                case "until-restart" -> throw usage(spec, "--duration until-restart: such rules live in the daemon's memory only"
                        + " (answer a prompt with it); a file outlives a restart");
                case "until-exit" -> {
                    if (!set(spec, pid)) {
                        throw usage(spec, "--duration until-exit needs --pid PID");
                    }
                    int p = pid.<Integer>getValue();
                    try {
                        long ticks = ProcStatParser.parse(Files.readAllBytes(Path.of("/proc/" + p + "/stat"))).startTicks();
                        yield new RuleDuration.UntilExit(p, ticks);
                    } catch (IOException | RuntimeException e) {
                        throw usage(spec, "--pid " + p + ": no such process");
                    }
                }
                default -> {
                    try {
                        yield new RuleDuration.Expires(Instant.now().plus(RuleDuration.parseLength(d)), d);
                    } catch (IllegalArgumentException e) {
                        throw usage(spec, "--duration: " + e.getMessage() + "; or always, once, until-exit");
                    }
                }
            };
        }

        private static String defaultId(Action a, List<Condition> list) {
            return Rule.defaultId(a, list);
        }
    }

    // ---------------------------------------------------------------- list

    /** The directory {@code dir} names, loaded; or null after saying on stderr why it could not be read. */
    private static RuleFiles.Loaded loadOrReport(CommandSpec spec, OptionSpec dir) {
        try {
            return files(spec, dir).load();
        } catch (IOException e) {
            spec.commandLine().getErr().println("netwarden: cannot read the rules directory: " + safe(String.valueOf(e.getMessage())));
            return null;
        }
    }

    /** {@code rules list}: the rules in evaluation order, then the files left out. */
    private static final class ListRules implements Callable<Integer> {
        private final CommandSpec spec;
        private final OptionSpec dir = rulesDir();
        private final OptionSpec json = flag("--json", "JSON output: {\"rules\": [...], \"errors\": [...]}.");

        ListRules() {
            spec = CommandSpec.wrapWithoutInspection(this).name("list");
            spec.usageMessage().description("List the rules in evaluation order: the first one that matches a connection decides.",
                    "Files that could not be read are listed after them (path, line, key, problem).")
                    .footer("", "Exit status: 0 ok, 1 the directory could not be read or a file is broken.");
            spec.addOption(json);
            spec.addOption(dir);
            spec.addOption(help());
        }

        @Override
        public Integer call() {
            RuleFiles.Loaded loaded = loadOrReport(spec, dir);
            if (loaded == null) {
                return Main.EXIT_KERNEL;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (set(spec, json)) {
                List<Map<String, Object>> rules = new ArrayList<>();
                int order = 1;
                for (RuleSet.Entry e : loaded.set().entries()) {
                    rules.add(RulesJson.rule(order++, e.rule(), e.source()));
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("rules", rules);
                doc.put("errors", loaded.errors().stream().map(RulesJson::error).toList());
                out.println(JsonMapper.shared().writeValueAsString(doc));
            } else if (loaded.set().size() == 0) {
                out.println("no rules in " + safe(files(spec, dir).dir().toString()));
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"#", "ID", "ACTION", "PRIO", "DURATION", "ENABLED", "CONDITIONS"});
                int order = 1;
                for (RuleSet.Entry e : loaded.set().entries()) {
                    Rule r = e.rule();
                    rows.add(new String[] {Integer.toString(order++), safe(r.id()), r.action().label(), Integer.toString(r.priority()),
                            safe(r.duration().label()), r.enabled() ? "yes" : "no", conditions(r)});
                }
                table(out, rows);
            }
            if (!set(spec, json)) {
                for (RuleFileError e : loaded.errors()) {
                    spec.commandLine().getErr().println("broken: " + safe(e.toString()));
                }
            }
            out.flush();
            return loaded.errors().isEmpty() ? 0 : Main.EXIT_KERNEL;
        }

        private static void table(PrintWriter out, List<String[]> rows) {
            int cols = rows.getFirst().length;
            int[] w = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < cols; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < cols; i++) {
                    b.append(r[i]);
                    if (i < cols - 1) {
                        b.append(" ".repeat(w[i] - r[i].length() + 2));
                    }
                }
                out.println(b.toString().stripTrailing());
            }
        }
    }

    // ---------------------------------------------------------------- show / rm / enable / disable

    /** The commands that take one rule id. */
    private static final class IdCommand implements Callable<Integer> {
        private final CommandSpec spec;
        private final OptionSpec dir = rulesDir();
        private final PositionalParamSpec id = PositionalParamSpec.builder().paramLabel("ID").type(String.class).required(true)
                .description("The rule's id (its file name without .toml).").build();

        IdCommand(String name, String description) {
            spec = CommandSpec.wrapWithoutInspection(this).name(name);
            spec.usageMessage().description(description).footer("", "Exit status: 0 ok, 1 no such rule or it could not be changed, 2 bad arguments.");
            spec.addPositional(id);
            spec.addOption(dir);
            spec.addOption(help());
        }

        @Override
        public Integer call() throws IOException {
            String ruleId = id.getValue();
            RuleFiles files = files(spec, dir);
            Path path;
            try {
                path = files.pathOf(ruleId);
            } catch (IllegalArgumentException e) {
                throw usage(spec, safe(e.getMessage()));
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(path)) {
                err.println("netwarden: no rule " + safe(ruleId) + " in " + safe(files.dir().toString()));
                return Main.EXIT_KERNEL;
            }
            switch (spec.name()) {
                case "show" -> {
                    String text = Files.readString(path, StandardCharsets.UTF_8);
                    for (String line : text.split("\n", -1)) {
                        out.println(safe(line));
                    }
                    if (RuleFiles.read(path) instanceof RuleFileResult.Invalid invalid) {
                        invalid.errors().forEach(e -> err.println("broken: " + safe(e.toString())));
                        return Main.EXIT_KERNEL;
                    }
                }
                case "rm" -> {
                    files.delete(ruleId);
                    out.println("removed rule " + safe(ruleId));
                }
                default -> {
                    boolean on = spec.name().equals("enable");
                    switch (RuleFiles.read(path)) {
                        case RuleFileResult.Invalid invalid -> {
                            invalid.errors().forEach(e -> err.println("broken: " + safe(e.toString())));
                            err.println("netwarden: fix the file first");
                            return Main.EXIT_KERNEL;
                        }
                        case RuleFileResult.Parsed parsed -> {
                            files.write(parsed.rule().withEnabled(on), true);
                            out.println((on ? "enabled" : "disabled") + " rule " + safe(ruleId));
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    // ---------------------------------------------------------------- test

    /** {@code rules test}: which rule would decide a described connection, and why. */
    private static final class Test implements Callable<Integer> {
        private final CommandSpec spec;
        private final OptionSpec dir = rulesDir();
        private final OptionSpec exe = value("--exe", "PATH", "The program's executable.");
        private final OptionSpec process = value("--process", "NAME", "Its process name (default: the executable's file name).");
        private final OptionSpec cmdline = value("--cmdline", "TEXT", "Its command line (default: the executable).");
        private final OptionSpec sha256 = value("--sha256", "HEX", "The executable's sha256.");
        private final OptionSpec parentExe = values("--parent-exe", "PATH", "An ancestor's executable, nearest first.");
        private final OptionSpec user = value("--user", "USER", "User name or uid.");
        private final OptionSpec pid = OptionSpec.builder("--pid").paramLabel("PID").type(Integer.class)
                .description("The process id (for until-exit rules; start time read from /proc).").build();
        private final OptionSpec host = value("--host", "DOMAIN", "The domain the program asked for.");
        private final OptionSpec ip = value("--ip", "ADDR", "The remote address (default: 0.0.0.0, unknown).");
        private final OptionSpec port = OptionSpec.builder("--port").paramLabel("PORT").type(Integer.class)
                .description("The remote port (local port for inbound).").build();
        private final OptionSpec proto = value("--proto", "PROTO", "tcp (default), udp, icmp or raw.");
        private final OptionSpec iface = value("--iface", "NAME", "The interface.");
        private final OptionSpec direction = value("--direction", "DIR", "outbound (default), inbound or listen.");
        private final OptionSpec json = flag("--json", "JSON output: {\"rule\": ID or null, \"action\": ..., \"explanation\": ...}.");

        Test() {
            spec = CommandSpec.wrapWithoutInspection(this).name("test");
            spec.usageMessage().sortOptions(false).description(
                    "Say which rule would decide a described connection, and which of its conditions matched.",
                    "Nothing is changed (a once-rule is not used up). List conditions are not evaluated here: the",
                    "block lists live in the daemon.",
                    "Example: netwarden rules test --exe /usr/bin/curl --host testsite.com --port 443 --user root")
                    .footer("", "Exit status: 0 ok (also when no rule matches), 1 the directory could not be read, 2 bad arguments.");
            for (OptionSpec o : List.of(exe, process, cmdline, sha256, parentExe, user, pid, host, ip, port, proto, iface, direction, json, dir)) {
                spec.addOption(o);
            }
            spec.addOption(help());
        }

        @Override
        public Integer call() {
            ConnectionFacts facts = facts();
            RuleFiles.Loaded loaded = loadOrReport(spec, dir);
            if (loaded == null) {
                return Main.EXIT_KERNEL;
            }
            java.util.Optional<RuleMatch> m = loaded.set().explain(facts, ListMembership.NONE, System.currentTimeMillis());
            PrintWriter out = spec.commandLine().getOut();
            if (set(spec, json)) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("rule", m.map(RuleMatch::ruleId).orElse(null));
                doc.put("action", m.map(r -> r.action().label()).orElse(null));
                doc.put("explanation", m.map(RuleMatch::explanation).orElse("no rule: the default action applies"));
                doc.put("brokenFiles", loaded.errors().stream().map(RulesJson::error).toList());
                out.println(JsonMapper.shared().writeValueAsString(doc));
            } else {
                out.println(m.map(r -> r.action().label() + " by " + safe(r.explanation())).orElse("no rule: the default action applies"));
                for (RuleFileError e : loaded.errors()) {
                    spec.commandLine().getErr().println("note: left out, broken: " + safe(e.toString()));
                }
            }
            out.flush();
            return 0;
        }

        private ConnectionFacts facts() {
            Transport t = choice(proto, Transport.class, Transport.TCP);
            Direction d = choice(direction, Direction.class, Direction.OUTBOUND);
            InetAddress remote;
            String ipText = set(spec, ip) ? ip.getValue() : "0.0.0.0";
            try {
                remote = literal(ipText);
            } catch (IllegalArgumentException e) {
                throw usage(spec, "--ip: '" + safe(ipText) + "' is not an IP address");
            }
            int p = set(spec, port) ? port.<Integer>getValue() : 0;
            if (p < 0 || p > 65535) {
                throw usage(spec, "--port must be 0..65535");
            }
            int procPid = set(spec, pid) ? pid.<Integer>getValue() : -1;
            long ticks = -1;
            if (procPid > 0) {
                try {
                    ticks = ProcStatParser.parse(Files.readAllBytes(Path.of("/proc/" + procPid + "/stat"))).startTicks();
                } catch (IOException | RuntimeException e) {
                    throw usage(spec, "--pid " + procPid + ": no such process");
                }
            }
            return new DescribedConnection(t, d, remote, p, text(user), text(exe), text(process), text(cmdline), text(sha256),
                    set(spec, parentExe) ? parentExe.<List<String>>getValue() : List.of(), procPid, ticks, text(host), text(iface))
                    .facts(UserNames.read(Path.of("/etc/passwd")));
        }

        private String text(OptionSpec o) {
            return set(spec, o) ? o.getValue() : null;
        }

        private <E extends Enum<E>> E choice(OptionSpec o, Class<E> type, E fallback) {
            if (!set(spec, o)) {
                return fallback;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(o.getValue())) {
                    return e;
                }
            }
            throw usage(spec, o.longestName() + ": '" + safe(o.getValue()) + "' is not one of "
                    + String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
        }

        private static InetAddress literal(String text) {
            boolean ok = !text.isEmpty() && text.length() <= 45 && (text.indexOf(':') >= 0
                    ? text.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)
                    : text.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)) && text.chars().filter(ch -> ch == '.').count() == 3);
            if (!ok) {
                throw new IllegalArgumentException(text);
            }
            try {
                return InetAddress.getByName(text); // a literal: no DNS
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(text);
            }
        }
    }

    // ---------------------------------------------------------------- import-opensnitch

    /** {@code rules import-opensnitch DIR}. */
    private static final class ImportOpenSnitch implements Callable<Integer> {
        private final CommandSpec spec;
        private final OptionSpec dir = rulesDir();
        private final OptionSpec force = flag("--force", "Replace rules that already exist.");
        private final OptionSpec json = flag("--json", "JSON output: {\"written\": [...], \"problems\": [{file, field, why}]}.");
        private final PositionalParamSpec source = PositionalParamSpec.builder().paramLabel("DIR").type(String.class).required(true)
                .description("OpenSnitch's rules directory (usually /etc/opensnitchd/rules).").build();

        ImportOpenSnitch() {
            spec = CommandSpec.wrapWithoutInspection(this).name("import-opensnitch");
            spec.usageMessage().description("Import OpenSnitch rule files (*.json) as netwarden rules.",
                    "Says precisely what could not be mapped (file, field, why). A rule with anything unmapped is not",
                    "imported. Mapping: docs/rules.md.")
                    .footer("", "Exit status: 0 everything imported, 1 some files were not imported or the directory is unreadable, 2 bad arguments.");
            spec.addPositional(source);
            spec.addOption(dir);
            spec.addOption(force);
            spec.addOption(json);
            spec.addOption(help());
        }

        @Override
        public Integer call() {
            Path src = Path.of(source.<String>getValue());
            if (!Files.isDirectory(src)) {
                throw usage(spec, safe(src.toString()) + ": not a directory");
            }
            OpenSnitchImport.Report report;
            try {
                report = OpenSnitchImport.importDirectory(src, files(spec, dir), set(spec, force), Instant.now());
            } catch (IOException e) {
                spec.commandLine().getErr().println("netwarden: " + safe(String.valueOf(e.getMessage())));
                return Main.EXIT_KERNEL;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (set(spec, json)) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("written", report.written().stream().map(Path::toString).toList());
                doc.put("problems", report.problems().stream().map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", p.file());
                    m.put("field", p.field());
                    m.put("why", p.why());
                    return m;
                }).toList());
                out.println(JsonMapper.shared().writeValueAsString(doc));
            } else {
                for (Path p : report.written()) {
                    out.println("imported " + safe(p.toString()));
                }
                for (OpenSnitchImport.Problem p : report.problems()) {
                    out.println("not imported: " + safe(p.toString()));
                }
                out.println(report.written().size() + " imported, " + report.problems().stream().map(OpenSnitchImport.Problem::file)
                        .distinct().count() + " files not imported");
            }
            out.flush();
            return report.problems().isEmpty() ? 0 : Main.EXIT_KERNEL;
        }
    }

    /** The JSON shapes of {@code rules list --json}. */
    private static final class RulesJson {
        static Map<String, Object> rule(int order, Rule r, Path source) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("order", order);
            m.put("id", r.id());
            m.put("action", r.action().label());
            m.put("priority", r.priority());
            m.put("enabled", r.enabled());
            m.put("duration", r.duration().label());
            if (r.duration() instanceof RuleDuration.Expires e) {
                m.put("expires", e.until().toString());
            }
            if (r.duration() instanceof RuleDuration.UntilExit u) {
                m.put("pid", u.pid());
                m.put("startTicks", u.startTicks());
            }
            m.put("description", r.description());
            Map<String, Object> match = new LinkedHashMap<>();
            for (Condition c : r.conditions()) {
                match.put(c.kind().key(), c.values());
            }
            m.put("match", match);
            m.put("file", source == null ? null : source.toString());
            return m;
        }

        static Map<String, Object> error(RuleFileError e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", e.path());
            m.put("line", e.line());
            m.put("key", e.key());
            m.put("message", e.message());
            return m;
        }
    }
}
