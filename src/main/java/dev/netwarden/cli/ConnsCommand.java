package dev.netwarden.cli;

import dev.netwarden.conns.ConnsRequest;
import dev.netwarden.conns.ConnsRun;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code netwarden conns}: the {@code ss -tanp} of netwarden. The flags are the ones an {@code ss}
 * user already types; processes are shown by default ({@code -p} is accepted for habit).
 *
 * <p>The picocli model is built with the programmatic API, not annotations: reading annotations
 * makes picocli reflect over the class and spin a proxy class per annotation type, ~30 ms of every
 * run of a command that itself takes a few ms. Help, completion and parsing are picocli's as before.
 */
final class ConnsCommand implements Callable<Integer> {
    private final OptionSpec tcp = flag("-t", "--tcp", "TCP sockets.");
    private final OptionSpec udp = flag("-u", "--udp", "UDP sockets.");
    private final OptionSpec raw = flag("-w", "--raw", "RAW sockets.");
    private final OptionSpec unix = flag("-x", "--unix", "UNIX domain sockets.");
    private final OptionSpec listening = flag("-l", "--listening", "Only listening (and, for UDP/RAW, unconnected) sockets.");
    private final OptionSpec all = flag("-a", "--all", "Sockets in every state.");
    private final OptionSpec numeric = flag("-n", "--numeric", "Ports as numbers, not service names.");
    private final OptionSpec processes = flag("-p", "--processes", "Show processes (the default; kept for ss habits).");
    private final OptionSpec noProcesses = flag("-P", "--no-processes", "Skip the /proc scan: sockets only, like ss without -p.");
    private final OptionSpec extended = flag("-e", "--extended", "Also show uid, inode and socket cookie.");
    private final OptionSpec info = flag("-i", "--info", "Also show TCP internals (rtt, cwnd, bytes, retransmits, congestion).");
    private final OptionSpec ipv4 = flag("-4", "--ipv4", "Only IPv4.");
    private final OptionSpec ipv6 = flag("-6", "--ipv6", "Only IPv6.");
    private final OptionSpec processNames = repeatable("--process", "NAME", String.class,
            "Only sockets of processes with this name (comm or executable file name). Repeatable.");
    private final OptionSpec pids = repeatable("--pid", "PID", Integer.class, "Only sockets held by this pid. Repeatable.");
    private final OptionSpec users = repeatable("--user", "USER", String.class, "Only sockets of this user (name or uid). Repeatable.");
    private final OptionSpec json = flag("--json", "JSON output (schema: docs/conns-json.md).");
    private final OptionSpec csv = flag("--csv", "CSV output, one row per socket and holder.");
    private final OptionSpec daemonSocket = OptionSpec.builder("--daemon-socket").paramLabel("PATH").type(java.nio.file.Path.class)
            .description("Ask the netwarden daemon listening here for socket owners (default: "
                    + dev.netwarden.daemon.config.DaemonSection.DEFAULT_CONTROL_SOCKET + " when it exists).").build();
    private final OptionSpec noDaemon = flag("--no-daemon", "Never ask a running daemon: scan /proc here.");
    private final PositionalParamSpec filter = PositionalParamSpec.builder()
            .paramLabel("FILTER").arity("0..*").type(List.class).auxiliaryTypes(String.class)
            .description("An ss filter: [state STATE]... [EXPRESSION].").build();
    private final CommandSpec spec;

    private ConnsCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("conns");
        spec.usageMessage()
                .sortOptions(false)
                .autoWidth(true)
                .description(
                        "List sockets with the processes that hold them, like ss -tanp.",
                        "",
                        "Without -t/-u/-w/-x: TCP, UDP and RAW sockets. Without -a/-l: connected sockets only.",
                        "FILTER is ss's filter language, e.g.:",
                        "  state established '( dport = :443 or dport = :80 )'",
                        "  state listening sport = :ssh",
                        "  dst 10.0.0.0/8 and not dport = :53")
                .footer("", "Exit status: 0 ok, 1 the kernel refused a request, 2 bad arguments or filter.");
        for (OptionSpec o : List.of(tcp, udp, raw, unix, listening, all, numeric, processes, noProcesses, extended, info,
                ipv4, ipv6, processNames, pids, users, json, csv, daemonSocket, noDaemon)) {
            spec.addOption(o);
        }
        spec.addOption(OptionSpecs.help());
        spec.addPositional(filter);
    }

    /** The {@code conns} subcommand's model, bound to a new command object. */
    static CommandSpec spec() {
        return new ConnsCommand().spec;
    }

    private static OptionSpec flag(String shortName, String longName, String description) {
        return OptionSpec.builder(shortName, longName).type(boolean.class).description(description).build();
    }

    private static OptionSpec flag(String longName, String description) {
        return OptionSpec.builder(longName).type(boolean.class).description(description).build();
    }

    private static OptionSpec repeatable(String name, String label, Class<?> elementType, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(elementType)
                .description(description).build();
    }

    @Override
    public Integer call() throws Exception {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (set(parsed, json) && set(parsed, csv)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json and --csv exclude each other");
        }
        if (set(parsed, processes) && set(parsed, noProcesses)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-p and -P exclude each other");
        }
        ConnsRequest.Format format = set(parsed, json) ? ConnsRequest.Format.JSON
                : set(parsed, csv) ? ConnsRequest.Format.CSV : ConnsRequest.Format.TABLE;
        ConnsRequest request = new ConnsRequest(set(parsed, tcp), set(parsed, udp), set(parsed, raw), set(parsed, unix),
                set(parsed, listening), set(parsed, all), set(parsed, numeric), !set(parsed, noProcesses),
                set(parsed, extended), set(parsed, info), set(parsed, ipv4), set(parsed, ipv6),
                values(parsed, processNames), values(parsed, pids), values(parsed, users),
                parsed.hasMatchedPositional(filter) ? filter.getValue() : List.of(), format);
        if (set(parsed, daemonSocket) && set(parsed, noDaemon)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--daemon-socket and --no-daemon exclude each other");
        }
        java.nio.file.Path socket = set(parsed, noDaemon) ? null
                : set(parsed, daemonSocket) ? daemonSocket.getValue() : dev.netwarden.daemon.config.DaemonSection.DEFAULT_CONTROL_SOCKET;
        return ConnsRun.run(request, socket, set(parsed, daemonSocket), System.out, System.err);
    }

    private static boolean set(CommandLine.ParseResult parsed, OptionSpec flag) {
        return parsed.hasMatchedOption(flag);
    }

    private static <T> List<T> values(CommandLine.ParseResult parsed, OptionSpec option) {
        return parsed.hasMatchedOption(option) ? option.getValue() : List.of();
    }
}
