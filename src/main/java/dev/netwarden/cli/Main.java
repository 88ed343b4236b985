package dev.netwarden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code netwarden <command> [options]}. */
@Command(name = "netwarden",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Shows a Linux machine's network connections with the processes behind them.",
        subcommands = {ConnsCommand.class, CommandLine.HelpCommand.class, CompletionCommand.class})
public final class Main implements Runnable {
    /** Exit code for a usage error (bad flag, bad filter), as picocli and ss use. */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the kernel refused or failed a request. */
    public static final int EXIT_KERNEL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
        NativeLinkAhead.startFor(args);
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
