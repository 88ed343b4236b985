package dev.netwarden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

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

    private Main() {
        spec = CommandSpec.wrapWithoutInspection(this).name("netwarden").versionProvider(new VersionProvider());
        spec.usageMessage().description("Shows a Linux machine's network connections with the processes behind them.");
        spec.addOption(OptionSpecs.help());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        spec.addSubcommand("conns", new CommandLine(ConnsCommand.spec()));
        spec.addSubcommand("daemon", new CommandLine(DaemonCommand.spec()));
        spec.addSubcommand("history", new CommandLine(HistoryCommand.spec()));
        spec.addSubcommand("firewall", new CommandLine(FirewallCommand.spec()));
        spec.addSubcommand("rules", new CommandLine(RulesCommand.spec()));
        spec.addSubcommand("lists", new CommandLine(ListsCommand.spec()));
        spec.addSubcommand("prompt", new CommandLine(PromptCommand.spec()));
        spec.addSubcommand("top", new CommandLine(TopCommand.spec()));
        spec.addSubcommand("status", new CommandLine(StatusCommand.spec()));
        spec.addSubcommand("ui-token", new CommandLine(UiTokenCommand.spec()));
        spec.addSubcommand("help", new CommandLine(HelpCommand.spec()));
        spec.addSubcommand("completion", new CommandLine(CompletionCommand.spec()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main().spec);
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
        return commandLine().execute(args);
    }
}
