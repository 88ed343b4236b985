package dev.netwarden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point: {@code netwarden <command> [options]}. The commands' picocli models are built with
 * the programmatic API (why: see {@link ConnsCommand}).
 */
public final class Main implements Runnable {
    /** Exit code for a usage error (bad flag, bad filter), as picocli and ss use. */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the kernel refused or failed a request. */
    public static final int EXIT_KERNEL = 1;

    private final CommandSpec spec;

    /**
     * The subcommands, each built on demand. Why: building all twelve picocli models costs ~10 ms of
     * every run, and a command line that names one of them needs only that one (see {@link #execute}).
     */
    private static final Map<String, Supplier<CommandSpec>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("conns", ConnsCommand::spec);
        COMMANDS.put("daemon", DaemonCommand::spec);
        COMMANDS.put("history", HistoryCommand::spec);
        COMMANDS.put("firewall", FirewallCommand::spec);
        COMMANDS.put("rules", RulesCommand::spec);
        COMMANDS.put("lists", ListsCommand::spec);
        COMMANDS.put("prompt", PromptCommand::spec);
        COMMANDS.put("top", TopCommand::spec);
        COMMANDS.put("status", StatusCommand::spec);
        COMMANDS.put("ui-token", UiTokenCommand::spec);
        COMMANDS.put("help", HelpCommand::spec);
        COMMANDS.put("completion", CompletionCommand::spec);
    }

    /** @param only the one subcommand to register, or null for all of them */
    private Main(String only) {
        spec = CommandSpec.wrapWithoutInspection(this).name("netwarden").versionProvider(new VersionProvider());
        spec.usageMessage().description("Shows a Linux machine's network connections with the processes behind them.");
        spec.addOption(OptionSpecs.help());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        for (Map.Entry<String, Supplier<CommandSpec>> c : COMMANDS.entrySet()) {
            if (only == null || only.equals(c.getKey())) {
                spec.addSubcommand(c.getKey(), new CommandLine(c.getValue().get()));
            }
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The whole command line, every subcommand registered. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The command line with only {@code only} registered (null: all), as {@link #execute} builds it. */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Main(only).spec);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("netwarden: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("NETWARDEN_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return EXIT_KERNEL;
        });
        return cl;
    }

    public static void main(String[] args) {
        dev.netwarden.conns.PhaseTimes.startUp();
        if (args.length > 0 && args[0].equals("daemon") && System.getProperty("java.util.logging.manager") == null) {
            // Before anything logs: keeps the daemon's log alive during its shutdown hook (see DaemonLogManager).
            System.setProperty("java.util.logging.manager", dev.netwarden.daemon.DaemonLogManager.class.getName());
        }
        if (AotTraining.requested()) {
            System.exit(AotTraining.run());
        }
        System.exit(execute(args));
    }

    /** Runs one command line; returns its exit code. */
    static int execute(String[] args) {
        return commandLine(onlyCommandNeeded(args)).execute(args);
    }

    /**
     * The subcommand that {@code args} names, when it is the only one that parsing and running them
     * can touch; null when every subcommand is needed: no subcommand (the top-level usage lists them),
     * an unknown one (picocli suggests the nearest names), or {@code help} and {@code completion},
     * which describe the others.
     */
    static String onlyCommandNeeded(String[] args) {
        if (args.length == 0 || !COMMANDS.containsKey(args[0]) || args[0].equals("help") || args[0].equals("completion")) {
            return null;
        }
        return args[0];
    }
}
