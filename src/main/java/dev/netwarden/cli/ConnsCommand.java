package dev.netwarden.cli;

import dev.netwarden.conns.ConnsRequest;
import dev.netwarden.conns.ConnsRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code netwarden conns}: the {@code ss -tanp} of netwarden. The flags are the ones an {@code ss}
 * user already types; processes are shown by default ({@code -p} is accepted for habit).
 */
@Command(name = "conns",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "List sockets with the processes that hold them, like ss -tanp.",
            "",
            "Without -t/-u/-w/-x: TCP, UDP and RAW sockets. Without -a/-l: connected sockets only.",
            "FILTER is ss's filter language, e.g.:",
            "  state established '( dport = :443 or dport = :80 )'",
            "  state listening sport = :ssh",
            "  dst 10.0.0.0/8 and not dport = :53"
        },
        footer = {"", "Exit status: 0 ok, 1 the kernel refused a request, 2 bad arguments or filter."})
final class ConnsCommand implements Callable<Integer> {
    @Option(names = {"-t", "--tcp"}, description = "TCP sockets.")
    boolean tcp;
    @Option(names = {"-u", "--udp"}, description = "UDP sockets.")
    boolean udp;
    @Option(names = {"-w", "--raw"}, description = "RAW sockets.")
    boolean raw;
    @Option(names = {"-x", "--unix"}, description = "UNIX domain sockets.")
    boolean unix;
    @Option(names = {"-l", "--listening"}, description = "Only listening (and, for UDP/RAW, unconnected) sockets.")
    boolean listening;
    @Option(names = {"-a", "--all"}, description = "Sockets in every state.")
    boolean all;
    @Option(names = {"-n", "--numeric"}, description = "Ports as numbers, not service names.")
    boolean numeric;
    @Option(names = {"-p", "--processes"}, description = "Show processes (the default; kept for ss habits).")
    boolean processes;
    @Option(names = {"-P", "--no-processes"}, description = "Skip the /proc scan: sockets only, like ss without -p.")
    boolean noProcesses;
    @Option(names = {"-e", "--extended"}, description = "Also show uid, inode and socket cookie.")
    boolean extended;
    @Option(names = {"-i", "--info"}, description = "Also show TCP internals (rtt, cwnd, bytes, retransmits, congestion).")
    boolean info;
    @Option(names = {"-4", "--ipv4"}, description = "Only IPv4.")
    boolean ipv4;
    @Option(names = {"-6", "--ipv6"}, description = "Only IPv6.")
    boolean ipv6;
    @Option(names = "--process", paramLabel = "NAME", description = "Only sockets of processes with this name (comm or executable file name). Repeatable.")
    List<String> processNames = List.of();
    @Option(names = "--pid", paramLabel = "PID", description = "Only sockets held by this pid. Repeatable.")
    List<Integer> pids = List.of();
    @Option(names = "--user", paramLabel = "USER", description = "Only sockets of this user (name or uid). Repeatable.")
    List<String> users = List.of();
    @Option(names = "--json", description = "JSON output (schema: docs/conns-json.md).")
    boolean json;
    @Option(names = "--csv", description = "CSV output, one row per socket and holder.")
    boolean csv;
    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "An ss filter: [state STATE]... [EXPRESSION].")
    List<String> filter = List.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (json && csv) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json and --csv exclude each other");
        }
        if (processes && noProcesses) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-p and -P exclude each other");
        }
        ConnsRequest.Format format = json ? ConnsRequest.Format.JSON : csv ? ConnsRequest.Format.CSV : ConnsRequest.Format.TABLE;
        ConnsRequest request = new ConnsRequest(tcp, udp, raw, unix, listening, all, numeric, !noProcesses, extended, info,
                ipv4, ipv6, processNames, pids, users, filter, format);
        return ConnsRun.run(request, System.out, System.err);
    }
}
