package dev.netwarden.daemon.config;

import dev.netwarden.toml.TomlText;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.DefaultAction;
import dev.netwarden.intercept.FailPolicy;

import dev.netwarden.flow.InterceptionLevel;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's whole configuration, typed and validated: what {@link ConfigLoader} makes of the
 * defaults, the TOML file and the command-line overrides. Every key is documented on its section
 * record; {@link ConfigKeys} lists them with their defaults.
 */
public record DaemonConfig(DaemonSection daemon, MonitorSection monitor, DnsSection dns, HistorySection history,
                           InterceptSection intercept, FirewallSection firewall, WebSection web) {
    static final int MAX_QUEUE = 1 << 24;

    public DaemonConfig {
        Objects.requireNonNull(daemon, "daemon is null");
        Objects.requireNonNull(monitor, "monitor is null");
        Objects.requireNonNull(dns, "dns is null");
        Objects.requireNonNull(history, "history is null");
        Objects.requireNonNull(intercept, "intercept is null");
        Objects.requireNonNull(firewall, "firewall is null");
        Objects.requireNonNull(web, "web is null");
    }

    /** Every key at its default (what a machine without a configuration file runs with). */
    public static DaemonConfig defaults() {
        try {
            return from(new ConfigValues());
        } catch (ConfigException e) {
            throw new AssertionError("a default is invalid: " + e.getMessage(), e);
        }
    }

    static DaemonConfig from(ConfigValues v) throws ConfigException {
        Path dataDir = v.path("daemon.data_dir", false);
        Path socket = v.path("daemon.control_socket", true);
        if (socket == null) {
            socket = dataDir.resolve(DaemonSection.DEFAULT_SOCKET_NAME);
        }
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            String blamed = v.string("daemon.control_socket").isEmpty() ? "daemon.data_dir" : "daemon.control_socket";
            throw v.invalid(blamed, "the control socket " + socket
                    + " is longer than the 107 bytes a Unix socket path allows; set a shorter daemon.control_socket");
        }
        DaemonSection daemon = new DaemonSection(v.choice("daemon.level", InterceptionLevel.class), dataDir,
                v.path("daemon.rules_dir", false), v.choice("daemon.log_level", LogLevel.class), socket);
        MonitorSection monitor = new MonitorSection(
                v.duration("monitor.poll_interval", Duration.ofMillis(10), Duration.ofHours(1)),
                v.duration("monitor.update_interval", Duration.ofSeconds(1), Duration.ofDays(1)),
                v.duration("monitor.exited_process_grace", Duration.ZERO, Duration.ofDays(1)));
        DnsSection dns = new DnsSection(v.bool("dns.sniff"), v.integer("dns.cache_size", 1, MAX_QUEUE),
                v.duration("dns.ttl_grace", Duration.ZERO, Duration.ofDays(30)), v.path("dns.hosts_file", true));
        HistorySection history = new HistorySection(
                v.duration("history.flush_interval", Duration.ofMillis(10), Duration.ofSeconds(60)),
                v.integer("history.queue_capacity", 1, MAX_QUEUE),
                v.duration("history.retention", Duration.ofHours(1), Duration.ofDays(36_500)),
                v.sizeOrNone("history.max_size", 1L << 20),
                v.duration("history.retention_check_interval", Duration.ofSeconds(1), Duration.ofDays(1)));
        InterceptSection intercept = new InterceptSection(v.integer("intercept.queue_num", 0, 65535),
                v.choice("intercept.fail_policy", FailPolicy.class), v.integer("intercept.queue_maxlen", 1, MAX_QUEUE),
                v.bool("intercept.inbound"), v.bool("intercept.queue_dns"), v.integer("intercept.queues", 0, InterceptSection.MAX_QUEUES));
        if (intercept.queues() > 0 && intercept.queueNum() + intercept.queues() - 1 > 65535) {
            throw v.invalid("intercept.queues", "queues " + intercept.queueNum() + ".." + (intercept.queueNum() + intercept.queues() - 1)
                    + " go beyond 65535: lower intercept.queue_num or intercept.queues");
        }
        FirewallSection firewall = new FirewallSection(v.choice("firewall.default_action", DefaultAction.class),
                v.duration("firewall.prompt_timeout", Duration.ofSeconds(1), Duration.ofHours(1)),
                v.choice("firewall.prompt_timeout_action", Action.class), v.path("firewall.lists_dir", false),
                v.duration("firewall.lists_refresh", Duration.ofMinutes(1), Duration.ofDays(30)));
        String webAddress = v.string("web.address").strip();
        try {
            java.net.InetAddress.ofLiteral(webAddress); // a literal only: never a DNS lookup
        } catch (IllegalArgumentException e) {
            throw v.invalid("web.address", "must be an IP address such as \"127.0.0.1\" or \"::1\" (not a host name)");
        }
        Path keystore = v.path("web.tls_keystore", true);
        Path passwordFile = v.path("web.tls_keystore_password_file", true);
        if (passwordFile != null && keystore == null) {
            throw v.invalid("web.tls_keystore_password_file", "must be \"\" unless web.tls_keystore is set");
        }
        WebSection web = new WebSection(v.bool("web.enabled"), webAddress, v.integer("web.port", 1, 65535), keystore, passwordFile);
        return new DaemonConfig(daemon, monitor, dns, history, intercept, firewall, web);
    }

    /**
     * The effective configuration as section → key → value (String, Integer or Boolean), in file order,
     * in the same form the file takes: reading it back gives an equal configuration.
     */
    public Map<String, Map<String, Object>> toSections() {
        Map<String, Map<String, Object>> s = new LinkedHashMap<>();
        Map<String, Object> d = section(s, "daemon");
        d.put("level", daemon.level().label());
        d.put("data_dir", daemon.dataDir().toString());
        d.put("rules_dir", daemon.rulesDir().toString());
        d.put("log_level", lower(daemon.logLevel()));
        d.put("control_socket", daemon.controlSocket().toString());
        Map<String, Object> m = section(s, "monitor");
        m.put("poll_interval", DurationText.format(monitor.pollInterval()));
        m.put("update_interval", DurationText.format(monitor.updateInterval()));
        m.put("exited_process_grace", DurationText.format(monitor.exitedProcessGrace()));
        Map<String, Object> n = section(s, "dns");
        n.put("sniff", dns.sniff());
        n.put("cache_size", dns.cacheSize());
        n.put("ttl_grace", DurationText.format(dns.ttlGrace()));
        n.put("hosts_file", dns.hostsFile() == null ? "" : dns.hostsFile().toString());
        Map<String, Object> h = section(s, "history");
        h.put("flush_interval", DurationText.format(history.flushInterval()));
        h.put("queue_capacity", history.queueCapacity());
        h.put("retention", DurationText.format(history.retention()));
        h.put("max_size", history.maxSize() == null ? "" : history.maxSize().toString());
        h.put("retention_check_interval", DurationText.format(history.retentionCheckInterval()));
        Map<String, Object> i = section(s, "intercept");
        i.put("queue_num", intercept.queueNum());
        i.put("fail_policy", lower(intercept.failPolicy()));
        i.put("queue_maxlen", intercept.queueMaxlen());
        i.put("inbound", intercept.inbound());
        i.put("queue_dns", intercept.queueDns());
        i.put("queues", intercept.queues());
        Map<String, Object> f = section(s, "firewall");
        f.put("default_action", firewall.defaultAction().label());
        f.put("prompt_timeout", DurationText.format(firewall.promptTimeout()));
        f.put("prompt_timeout_action", firewall.promptTimeoutAction().label());
        f.put("lists_dir", firewall.listsDir().toString());
        f.put("lists_refresh", DurationText.format(firewall.listsRefresh()));
        Map<String, Object> w = section(s, "web");
        w.put("enabled", web.enabled());
        w.put("address", web.address());
        w.put("port", web.port());
        w.put("tls_keystore", web.tlsKeystore() == null ? "" : web.tlsKeystore().toString());
        w.put("tls_keystore_password_file", web.tlsKeystorePasswordFile() == null ? "" : web.tlsKeystorePasswordFile().toString());
        return s;
    }

    /** The effective configuration as a TOML file ({@code --print-config}). */
    public String toToml() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Map<String, Object>> section : toSections().entrySet()) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append('[').append(section.getKey()).append("]\n");
            for (Map.Entry<String, Object> e : section.getValue().entrySet()) {
                Object value = e.getValue();
                b.append(e.getKey()).append(" = ")
                        .append(value instanceof String str ? TomlText.quote(str) : value.toString()).append('\n');
            }
        }
        return b.toString();
    }

    /** The effective configuration as JSON ({@code --print-config --json}). */
    public String toJson() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(toSections()) + "\n";
    }

    private static Map<String, Object> section(Map<String, Map<String, Object>> s, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.put(name, m);
        return m;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
