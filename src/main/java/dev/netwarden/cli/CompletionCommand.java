package dev.netwarden.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Prints a bash/zsh completion script: {@code source <(netwarden completion)}. */
final class CompletionCommand implements Runnable {
    private final CommandSpec spec;

    private CompletionCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("completion");
        spec.usageMessage().description("Print a bash/zsh completion script (use: source <(netwarden completion)).");
    }

    /** The {@code completion} subcommand's model, bound to a new command object. */
    static CommandSpec spec() {
        return new CompletionCommand().spec;
    }

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
    }
}
