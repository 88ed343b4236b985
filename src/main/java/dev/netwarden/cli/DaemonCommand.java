package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.daemon.DaemonRun;
import dev.netwarden.daemon.config.ConfigException;
import dev.netwarden.daemon.config.ConfigLoader;
import dev.netwarden.daemon.config.DaemonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.netwarden.cli.OptionSpecs.value;

/**
 * {@code netwarden daemon}: runs the monitor in the foreground. Configuration: defaults, then the TOML
 * file ({@code --config}, default /etc/netwarden/netwarden.toml if it exists), then {@code --set
 * section.key=value} in order, then the dedicated flags. Programmatic picocli model, as {@link ConnsCommand}.
 */
final class DaemonCommand implements Callable<Integer> {
    private final OptionSpec config = OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
            .description("Configuration file (default " + ConfigLoader.DEFAULT_FILE + ", if it exists).").build();
    private final OptionSpec level = value("--level", "LEVEL", "daemon.level: passive or intercept.");
    private final OptionSpec dataDir = value("--data-dir", "DIR", "daemon.data_dir: history, lock, pid file and control socket.");
    private final OptionSpec rulesDir = value("--rules-dir", "DIR", "daemon.rules_dir.");
    private final OptionSpec logLevel = value("--log-level", "LEVEL", "daemon.log_level: error, warn, info, debug or trace.");
    private final OptionSpec set = OptionSpec.builder("--set").paramLabel("SECTION.KEY=VALUE").type(List.class)
            .auxiliaryTypes(String.class).description("Set any configuration key, e.g. --set history.retention=30d. Repeatable.").build();
    private final OptionSpec checkConfig = OptionSpec.builder("--check-config").type(boolean.class)
            .description("Validate the configuration and exit (0 valid, 2 not).").build();
    private final OptionSpec printConfig = OptionSpec.builder("--print-config").type(boolean.class)
            .description("Print the effective configuration as TOML and exit.").build();
    private final OptionSpec json = OptionSpec.builder("--json").type(boolean.class)
            .description("With --print-config: as JSON.").build();
    private final CommandSpec spec;

    private DaemonCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("daemon");
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .description("Run the monitor in the foreground: record every connection with its process.",
                        "Needs root or CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH. Stop with SIGTERM or Ctrl-C.")
                .footer("", "Precedence: flags > --set > file > defaults.",
                        "Exit status: 0 stopped cleanly (or config valid/printed), 1 could not start, 2 bad arguments or configuration.");
        for (OptionSpec o : List.of(config, level, dataDir, rulesDir, logLevel, set, checkConfig, printConfig, json)) {
            spec.addOption(o);
        }
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new DaemonCommand().spec;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption(json) && !parsed.hasMatchedOption(printConfig)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json goes with --print-config");
        }
        DaemonConfig cfg;
        try {
            List<ConfigLoader.Override> overrides = new ArrayList<>();
            if (parsed.hasMatchedOption(set)) {
                for (String s : set.<List<String>>getValue()) {
                    overrides.add(ConfigLoader.Override.parseSet(s));
                }
            }
            add(parsed, overrides, level, "daemon.level");
            add(parsed, overrides, dataDir, "daemon.data_dir");
            add(parsed, overrides, rulesDir, "daemon.rules_dir");
            add(parsed, overrides, logLevel, "daemon.log_level");
            cfg = ConfigLoader.load(parsed.hasMatchedOption(config) ? config.getValue() : null, overrides);
        } catch (ConfigException e) {
            System.err.println("netwarden daemon: configuration error: " + TerminalText.sanitize(e.getMessage()));
            return DaemonRun.EXIT_CONFIG;
        }
        if (parsed.hasMatchedOption(checkConfig)) {
            System.out.println("configuration ok");
            return DaemonRun.EXIT_OK;
        }
        if (parsed.hasMatchedOption(printConfig)) {
            System.out.print(parsed.hasMatchedOption(json) ? cfg.toJson() : cfg.toToml());
            System.out.flush();
            return DaemonRun.EXIT_OK;
        }
        return DaemonRun.run(cfg, System.err);
    }

    private static void add(CommandLine.ParseResult parsed, List<ConfigLoader.Override> overrides, OptionSpec flag, String key) {
        if (parsed.hasMatchedOption(flag)) {
            overrides.add(new ConfigLoader.Override(key, flag.getValue(), flag.longestName()));
        }
    }
}
