package dev.netwarden.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One address a DNS answer gave for a name.
 *
 * <p>Names are lower case, without the trailing dot, with bytes outside printable ASCII escaped as
 * dnsjava does ({@code \DDD}); they remain attacker-chosen text.
 *
 * @param name       the name the program asked for (the question)
 * @param canonical  the owner of the address record: the end of the CNAME chain, or {@code name}
 * @param address    the A or AAAA address
 * @param ttlSeconds the smallest TTL along the chain (a CNAME that expires takes the address with it)
 * @param chain      the names from {@code name} to {@code canonical}, both included
 */
public record DnsAnswer(String name, String canonical, InetAddress address, long ttlSeconds, List<String> chain) {
    public DnsAnswer {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(canonical, "canonical is null");
        Objects.requireNonNull(address, "address is null");
        chain = List.copyOf(chain);
    }
}
