package dev.netwarden.firewall;

import java.net.InetAddress;

/**
 * Block (or allow) lists as rules see them: is this domain (or one of its parents) or this address
 * on the named list? Lookups cost O(name length) and never block; a list that is loading or failed
 * to load answers from its last good copy (or not at all, before the first load).
 */
public interface ListMembership {

    /** True when {@code domain} or one of its parent domains is on list {@code listName}. */
    boolean containsDomain(String listName, String domain);

    /** True when {@code address} is on list {@code listName} (as an address or inside a listed network). */
    boolean containsAddress(String listName, InetAddress address);

    /** Counts a hit on the list (for "hits per list" in status and the UI). */
    default void recordHit(String listName) {}

    ListMembership NONE = new ListMembership() {
        @Override
        public boolean containsDomain(String listName, String domain) {
            return false;
        }

        @Override
        public boolean containsAddress(String listName, InetAddress address) {
            return false;
        }
    };
}
