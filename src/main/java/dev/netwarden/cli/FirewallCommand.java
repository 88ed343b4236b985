package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.intercept.InterceptRules;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code netwarden firewall}: the firewall's maintenance commands. For now {@code cleanup}, which
 * removes the chains a crashed daemon left (every {@code NETWARDEN-*} chain and the jumps to it, in
 * the mangle and filter tables, IPv4 and IPv6) in the current network namespace, and says what it
 * removed. Built with picocli's programmatic API like {@link ConnsCommand}.
 */
final class FirewallCommand implements Runnable {
    private final CommandSpec spec;

    private FirewallCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("firewall");
        spec.usageMessage().description("Maintain netwarden's firewall rules.");
        spec.addOption(OptionSpecs.help());
        spec.addSubcommand("cleanup", new CommandLine(Cleanup.spec()));
    }

    static CommandSpec spec() {
        return new FirewallCommand().spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code netwarden firewall cleanup [--json]}. */
    static final class Cleanup implements Callable<Integer> {
        private final OptionSpec json = OptionSpec.builder("--json").type(boolean.class)
                .description("JSON output: {\"removed\": [...]}.").build();
        private final CommandSpec spec;

        private Cleanup() {
            spec = CommandSpec.wrapWithoutInspection(this).name("cleanup");
            spec.usageMessage().description(
                    "Remove leftover netwarden chains (NETWARDEN-*) and the rules that jump to them.",
                    "Cleans the mangle and filter tables (iptables and ip6tables) of the current network namespace.",
                    "Use after a daemon crashed; other rules are not touched. Needs root (CAP_NET_ADMIN).")
                    .footer("", "Exit status: 0 ok (also when nothing was left), 1 an iptables command failed.");
            spec.addOption(json);
            spec.addOption(OptionSpecs.help());
        }

        static CommandSpec spec() {
            return new Cleanup().spec;
        }

        @Override
        public Integer call() throws Exception {
            List<String> removed = InterceptRules.cleanup();
            var out = spec.commandLine().getOut();
            if (Boolean.TRUE.equals(json.getValue())) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("removed", removed);
                out.println(JsonMapper.builder().build().writeValueAsString(doc));
            } else if (removed.isEmpty()) {
                out.println("no netwarden rules found");
            } else {
                for (String r : removed) {
                    out.println(TerminalText.sanitize(r));
                }
            }
            out.flush();
            return 0;
        }
    }
}
