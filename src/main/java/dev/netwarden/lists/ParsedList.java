package dev.netwarden.lists;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One list parsed and ready for lookups: its domains, its addresses and networks, and the report of
 * the parse. Immutable, so it can be swapped in whole and read by any thread.
 */
public record ParsedList(DomainSet domains, AddressSet addresses, ParseReport report) {
    public ParsedList {
        Objects.requireNonNull(domains, "domains is null");
        Objects.requireNonNull(addresses, "addresses is null");
        Objects.requireNonNull(report, "report is null");
    }

    public boolean containsDomain(CharSequence name) {
        return domains.contains(name);
    }

    public boolean containsAddress(InetAddress address) {
        return addresses.contains(address);
    }

    /** Collects a parse into the two sets. */
    static final class Builder implements ListSink {
        private final DomainSet.Builder domains = new DomainSet.Builder();
        private final AddressSet.Builder addresses = new AddressSet.Builder();

        @Override
        public void domain(byte[] name, int length) {
            domains.add(name, length);
        }

        @Override
        public void network(IpNetwork network) {
            addresses.add(network);
        }

        ParsedList build(ParseReport report) {
            return new ParsedList(domains.build(), addresses.build(), report);
        }
    }
}
