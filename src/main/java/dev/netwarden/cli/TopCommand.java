package dev.netwarden.cli;

import dev.netwarden.daemon.config.DurationText;
import dev.netwarden.top.TopRun;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code netwarden top}: the live view of who uses the network (see {@link TopRun}, docs/top.md). */
final class TopCommand implements Callable<Integer> {
    private final OptionSpec interval = OptionSpecs.value("--interval", "DURATION",
            "Time between refreshes (default 1s; 500ms, 2s …; a bare number is seconds).");
    private final OptionSpec window = OptionSpecs.value("--window", "DURATION",
            "Rates are averaged over this long (default 5s; at least the interval).");
    private final OptionSpec count = OptionSpec.builder("--count").paramLabel("N").type(long.class)
            .description("Stop after N refreshes (default: run until q).").build();
    private final OptionSpec raw = OptionSpecs.flag("--raw", "Print one line per process and connection each refresh (TAB-separated).");
    private final OptionSpec json = OptionSpecs.flag("--json", "Print one JSON object per refresh, one per line (schema in docs/top.md).");
    private final DaemonSocketOptions daemonSocket = new DaemonSocketOptions();
    private final CommandSpec spec;

    private TopCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("top");
        spec.usageMessage().description(
                "Live view of who uses the network: processes, connections and remote hosts.",
                "Shows upload and download rates and totals since start. Reads the daemon when one runs (domains,",
                "short-lived processes, firewall questions), else scans the kernel itself each refresh.",
                "Keys: Tab or 1 2 3 pane, s < > sort column, r reverse, / filter, space pause, d DNS,",
                "arrows scroll, a/x answer a firewall question, q quit.")
                .footer("", "Exit status: 0 ok, 1 the kernel or terminal failed, 2 bad arguments.");
        spec.addOption(interval);
        spec.addOption(window);
        spec.addOption(count);
        spec.addOption(raw);
        spec.addOption(json);
        daemonSocket.addTo(spec);
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new TopCommand().spec;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (Boolean.TRUE.equals(raw.getValue()) && Boolean.TRUE.equals(json.getValue())) {
            throw new CommandLine.ParameterException(cl, "--raw and --json exclude each other");
        }
        Path path = daemonSocket.resolve(cl);
        TopRun.Options options;
        try {
            Duration every = duration(interval, Duration.ofSeconds(1));
            Duration over = duration(window, Duration.ofSeconds(5));
            if (window.getValue() == null && over.compareTo(every) < 0) {
                over = every;
            }
            boolean explicit = daemonSocket.explicit();
            Long n = count.getValue();
            TopRun.Output output = Boolean.TRUE.equals(json.getValue()) ? TopRun.Output.JSON
                    : Boolean.TRUE.equals(raw.getValue()) ? TopRun.Output.RAW : TopRun.Output.SCREEN;
            options = new TopRun.Options(every, over, n == null ? 0 : n, output, path, explicit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        return TopRun.run(options, System.out, System.err);
    }

    private static Duration duration(OptionSpec o, Duration fallback) {
        String text = o.getValue();
        if (text == null) {
            return fallback;
        }
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() <= 9) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        try {
            return DurationText.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(o.longestName() + ": " + e.getMessage());
        }
    }
}
