package dev.netwarden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;

/**
 * {@code netwarden help [COMMAND]}: the usage of the root or of one command. Does what picocli's
 * {@code CommandLine.HelpCommand} does, but that class is annotated, and adding it made picocli
 * reflect over it and spin annotation proxies on every run (see {@link ConnsCommand}).
 */
final class HelpCommand implements Runnable {
    private final PositionalParamSpec command = PositionalParamSpec.builder()
            .paramLabel("COMMAND").arity("0..1").type(String.class)
            .completionCandidates(() -> otherCommands().iterator())
            .description("The COMMAND to display the usage help message for.").build();
    private final CommandSpec spec;

    private HelpCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("help").helpCommand(true);
        spec.usageMessage()
                .header("Display help information about the specified command.")
                .synopsisHeading("%nUsage: ")
                .description("%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                        "If a COMMAND is specified, the help for that command is shown.%n");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show usage help for the help command and exit.").build());
        spec.addPositional(command);
    }

    /** The {@code help} subcommand's model, bound to a new command object. */
    static CommandSpec spec() {
        return new HelpCommand().spec;
    }

    /** The parent's commands but this one, for completion; read when asked, as the parent is set later. */
    private List<String> otherCommands() {
        return spec.parent().subcommands().keySet().stream().filter(name -> !name.equals(spec.name())).toList();
    }

    @Override
    public void run() {
        CommandLine parent = spec.parent().commandLine();
        String name = spec.commandLine().getParseResult().hasMatchedPositional(command) ? command.getValue() : null;
        if (name == null) {
            parent.usage(spec.commandLine().getOut());
            return;
        }
        CommandLine sub = parent.getSubcommands().get(name);
        if (sub == null) {
            throw new CommandLine.ParameterException(parent, "Unknown subcommand '" + name + "'.", null, name);
        }
        sub.usage(spec.commandLine().getOut());
    }
}
