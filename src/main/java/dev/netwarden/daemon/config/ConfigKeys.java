package dev.netwarden.daemon.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key the configuration file knows, with its TOML type and default, in the order
 * {@code --print-config} writes them. The one place a new key is added (then read it in
 * {@link DaemonConfig#from}).
 */
public final class ConfigKeys {
    /** A key's TOML type; {@code --set} values are converted to it. */
    public enum Kind { STRING, INTEGER, BOOLEAN }

    /** One key: {@code [section] name = default}. */
    public record Key(String section, String name, Kind kind, Object defaultValue) {
        public String path() {
            return section + "." + name;
        }
    }

    static final List<Key> ALL = List.of(
            new Key("daemon", "level", Kind.STRING, "passive"),
            new Key("daemon", "data_dir", Kind.STRING, "/var/lib/netwarden"),
            new Key("daemon", "rules_dir", Kind.STRING, "/etc/netwarden/rules"),
            new Key("daemon", "log_level", Kind.STRING, "info"),
            new Key("daemon", "control_socket", Kind.STRING, ""),
            new Key("monitor", "poll_interval", Kind.STRING, "1s"),
            new Key("monitor", "update_interval", Kind.STRING, "10s"),
            new Key("monitor", "exited_process_grace", Kind.STRING, "2m"),
            new Key("dns", "sniff", Kind.BOOLEAN, true),
            new Key("dns", "cache_size", Kind.INTEGER, 16384L),
            new Key("dns", "ttl_grace", Kind.STRING, "1h"),
            new Key("dns", "hosts_file", Kind.STRING, "/etc/hosts"),
            new Key("history", "flush_interval", Kind.STRING, "1s"),
            new Key("history", "queue_capacity", Kind.INTEGER, 65536L),
            new Key("history", "retention", Kind.STRING, "90d"),
            new Key("history", "max_size", Kind.STRING, "2GiB"),
            new Key("history", "retention_check_interval", Kind.STRING, "1h"),
            new Key("intercept", "queue_num", Kind.INTEGER, 0L),
            new Key("intercept", "fail_policy", Kind.STRING, "open"),
            new Key("intercept", "queue_maxlen", Kind.INTEGER, 4096L),
            new Key("intercept", "inbound", Kind.BOOLEAN, false),
            new Key("intercept", "queue_dns", Kind.BOOLEAN, true),
            new Key("intercept", "queues", Kind.INTEGER, 1L),
            new Key("firewall", "default_action", Kind.STRING, "allow"),
            new Key("firewall", "prompt_timeout", Kind.STRING, "30s"),
            new Key("firewall", "prompt_timeout_action", Kind.STRING, "deny"),
            new Key("firewall", "lists_dir", Kind.STRING, "/etc/netwarden/lists"),
            new Key("firewall", "lists_refresh", Kind.STRING, "24h"),
            new Key("web", "enabled", Kind.BOOLEAN, true),
            new Key("web", "address", Kind.STRING, "127.0.0.1"),
            new Key("web", "port", Kind.INTEGER, 7979L),
            new Key("web", "tls_keystore", Kind.STRING, ""),
            new Key("web", "tls_keystore_password_file", Kind.STRING, ""));

    static final Map<String, Key> BY_PATH;

    static {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : ALL) {
            m.put(k.path(), k);
        }
        BY_PATH = m;
    }

    private ConfigKeys() {
    }

    /** Every key, in file order. */
    public static List<Key> all() {
        return ALL;
    }

    /** The sections, in file order. */
    static List<String> sections() {
        return ALL.stream().map(Key::section).distinct().toList();
    }

    /** The names of the keys of one section, for "known keys" in error messages. */
    static String namesIn(String section) {
        return String.join(", ", ALL.stream().filter(k -> k.section().equals(section)).map(Key::name).toList());
    }
}
