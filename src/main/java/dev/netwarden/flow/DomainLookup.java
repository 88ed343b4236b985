package dev.netwarden.flow;

import java.net.InetAddress;

/**
 * The name a program used to reach an address, as learned from DNS answers (or /etc/hosts). The
 * monitor asks at the moment a connection is seen; null means "no name known", never a guess.
 */
@FunctionalInterface
public interface DomainLookup {
    String nameFor(InetAddress address);

    DomainLookup NONE = address -> null;
}
