package dev.netwarden.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code [dns]}.
 *
 * @param sniff     learn names from the DNS answers the machine receives
 * @param cacheSize address → name entries kept (bounded: hostile answers cannot grow memory)
 * @param ttlGrace  how long past its TTL an answer still names an address (connections outlive TTLs)
 * @param hostsFile names from this hosts file too; null ({@code hosts_file = ""}) for none
 */
public record DnsSection(boolean sniff, int cacheSize, Duration ttlGrace, Path hostsFile) {
    public DnsSection {
        Objects.requireNonNull(ttlGrace, "ttlGrace is null");
    }
}
