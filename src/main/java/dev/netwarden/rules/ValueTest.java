package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;

/** One value of a condition, compiled: does the connection have it? Cheap, non-blocking, allocation-free where possible. */
@FunctionalInterface
interface ValueTest {
    boolean test(ConnectionFacts facts, ListMembership lists);
}
