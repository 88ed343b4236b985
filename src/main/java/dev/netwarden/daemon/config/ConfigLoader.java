package dev.netwarden.daemon.config;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@link DaemonConfig}: defaults, then the TOML file, then the command line (each later one
 * wins). The file is parsed into a tree by Jackson's TOML module and mapped key by key here, so an
 * unknown key, a wrong type or a bad value is one message naming the file, the line, the key and
 * what is allowed — never a stack trace, never silently ignored.
 */
public final class ConfigLoader {
    /** The file read when {@code --config} is not given; its absence means "all defaults". */
    public static final Path DEFAULT_FILE = Path.of("/etc/netwarden/netwarden.toml");

    /**
     * One command-line override.
     *
     * @param key    {@code section.key}
     * @param value  the value as typed; converted to the key's TOML type
     * @param origin the flag, for error messages ({@code --set}, {@code --level} …)
     */
    public record Override(String key, String value, String origin) {
        public Override {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(value, "value is null");
            Objects.requireNonNull(origin, "origin is null");
        }

        /** Parses {@code section.key=value} as given to {@code --set}. */
        public static Override parseSet(String assignment) throws ConfigException {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + assignment + ": expected section.key=value, e.g. --set dns.sniff=false");
            }
            return new Override(assignment.substring(0, eq).strip(), assignment.substring(eq + 1), "--set");
        }
    }

    private ConfigLoader() {
    }

    /**
     * @param file      the file to read; null reads {@link #DEFAULT_FILE} if it exists
     * @param overrides applied in order after the file
     */
    public static DaemonConfig load(Path file, List<Override> overrides) throws ConfigException {
        ConfigValues values = new ConfigValues();
        Path path = file == null ? DEFAULT_FILE : file;
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (file != null) {
                throw new ConfigException(path + ": no such configuration file");
            }
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes != null) {
            readFile(path, new String(bytes, StandardCharsets.UTF_8), values);
        }
        for (Override o : overrides) {
            apply(o, values);
        }
        return DaemonConfig.from(values);
    }

    private static void readFile(Path file, String text, ConfigValues values) throws ConfigException {
        JsonNode root;
        try {
            root = TomlMapper.shared().readTree(text);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(file + where + ": not valid TOML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: all defaults
        }
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            String name = section.getKey();
            if (!ConfigKeys.sections().contains(name)) {
                throw new ConfigException(file + lineOf(text, null, name) + ": unknown "
                        + (section.getValue().isObject() ? "section [" + name + "]" : "key " + name + " outside any section")
                        + "; known sections: " + String.join(", ", ConfigKeys.sections().stream().map(s -> "[" + s + "]").toList()));
            }
            if (!section.getValue().isObject()) {
                throw new ConfigException(file + lineOf(text, null, name) + ": " + name + " must be a section [" + name + "], not a value");
            }
            for (Map.Entry<String, JsonNode> e : section.getValue().properties()) {
                String key = name + "." + e.getKey();
                String origin = file + lineOf(text, name, e.getKey());
                ConfigKeys.Key k = ConfigKeys.BY_PATH.get(key);
                if (k == null) {
                    throw new ConfigException(origin + ": unknown key " + e.getKey() + " in [" + name
                            + "]; known keys: " + ConfigKeys.namesIn(name));
                }
                values.put(key, typed(k, e.getValue(), origin), origin);
            }
        }
    }

    private static Object typed(ConfigKeys.Key k, JsonNode node, String origin) throws ConfigException {
        switch (k.kind()) {
            case STRING -> {
                if (node.isString()) {
                    return node.asString();
                }
            }
            case INTEGER -> {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return node.asLong();
                }
            }
            case BOOLEAN -> {
                if (node.isBoolean()) {
                    return node.asBoolean();
                }
            }
        }
        throw new ConfigException(origin + ": " + k.path() + " = " + node + ": must be " + describe(k.kind()));
    }

    private static void apply(Override o, ConfigValues values) throws ConfigException {
        ConfigKeys.Key k = ConfigKeys.BY_PATH.get(o.key());
        if (k == null) {
            int dot = o.key().indexOf('.');
            String section = dot < 0 ? "" : o.key().substring(0, dot);
            String known = ConfigKeys.sections().contains(section)
                    ? "known keys in [" + section + "]: " + ConfigKeys.namesIn(section)
                    : "keys are section.key with section one of " + String.join(", ", ConfigKeys.sections());
            throw new ConfigException(o.origin() + " " + o.key() + ": unknown key; " + known);
        }
        String text = o.value().strip();
        Object value = switch (k.kind()) {
            case STRING -> o.value();
            case BOOLEAN -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new ConfigException(o.origin() + " " + o.key() + "=" + o.value() + ": must be " + describe(k.kind()));
            };
            case INTEGER -> {
                try {
                    yield Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new ConfigException(o.origin() + " " + o.key() + "=" + o.value() + ": must be " + describe(k.kind()));
                }
            }
        };
        values.put(k.path(), value, o.origin());
    }

    private static String describe(ConfigKeys.Kind kind) {
        return switch (kind) {
            case STRING -> "a string (in quotes)";
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
        };
    }

    /**
     * " line N" where {@code key} is assigned in {@code [section]} (or where the top-level name appears
     * when section is null), or "" when not found. Jackson's TOML tree keeps no positions, so this
     * looks for the simple {@code key = …} form; dotted or inline-table keys just get no line.
     */
    static String lineOf(String text, String section, String key) {
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("[")) {
                int end = l.indexOf(']');
                current = end < 0 ? null : l.substring(1, end).strip();
                if (section == null && key.equals(current)) {
                    return " line " + (i + 1);
                }
                continue;
            }
            boolean inSection = section == null ? current == null : section.equals(current);
            if (inSection && (l.startsWith(key + " ") || l.startsWith(key + "=") || l.startsWith("\"" + key + "\""))) {
                return " line " + (i + 1);
            }
        }
        return "";
    }
}
