package dev.netwarden.rules;

import java.util.Objects;

/**
 * One problem in a rule file, precise enough to fix it: {@code /etc/netwarden/rules/x.toml line 4: port: '70000' ...}.
 *
 * @param path the file (as given; its name is the rule's id)
 * @param line 1-based line, 0 when not known
 * @param key  the key at fault ("match.port"), or "" for the file as a whole
 */
public record RuleFileError(String path, int line, String key, String message) {
    public RuleFileError {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return path + (line > 0 ? " line " + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
