package dev.netwarden.cli;

import picocli.CommandLine.Model.OptionSpec;

/**
 * The option shapes every command builds with picocli's programmatic model: help, a boolean flag, a
 * single text value. One place, so the commands differ only in what is particular to them.
 */
final class OptionSpecs {
    private OptionSpecs() {
    }

    /** {@code -h, --help}. */
    static OptionSpec help() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build();
    }

    /** A boolean flag. */
    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).description(description).build();
    }

    /** An option taking one text value. */
    static OptionSpec value(String name, String label, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).description(description).build();
    }
}
