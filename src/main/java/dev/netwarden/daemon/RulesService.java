package dev.netwarden.daemon;

import dev.netwarden.firewall.RuleMatcher;
import dev.netwarden.rules.PromptAnswerRules;
import dev.netwarden.rules.RuleEngine;
import dev.netwarden.rules.RuleFileError;
import dev.netwarden.rules.RuleFiles;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The firewall rules: the files of {@code daemon.rules_dir}, hot-reloaded, plus the rules prompt
 * answers make. A broken file is logged with its path and line and the others keep working.
 */
final class RulesService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.rules");

    private final Path dir;
    private final ListsService lists;
    private final ProcessEventsService processes;
    private RuleEngine engine;

    RulesService(Path dir, ListsService lists, ProcessEventsService processes) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
        this.lists = Objects.requireNonNull(lists, "lists is null");
        this.processes = Objects.requireNonNull(processes, "processes is null");
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public void start() throws Exception {
        engine = new RuleEngine(dir, lists.membership(), Clock.systemUTC());
        engine.reload();
        List<RuleFileError> errors = engine.errors();
        for (RuleFileError e : errors) {
            LOG.warning(() -> "rule file not used: " + e);
        }
        engine.start();
        processes.subscribe(engine);
        LOG.info(() -> engine.rules().size() + " rules from " + dir);
    }

    RuleMatcher matcher() {
        return engine;
    }

    /** A prompt answer becomes a rule of this engine (a file for "always" and timed answers). */
    String add(dev.netwarden.firewall.PromptRule answer) throws java.io.IOException {
        return new PromptAnswerRules(engine, new RuleFiles(dir), Clock.systemUTC()).add(answer);
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(engine.stats());
        m.put("rules", engine.rules().size());
        m.put("file_errors", engine.errors().size());
        return m;
    }
}
