/**
 * The application firewall's vocabulary: what is known about a new connection when it is decided
 * ({@link dev.netwarden.firewall.ConnectionFacts}, also from a connection described by hand:
 * {@link dev.netwarden.firewall.DescribedConnection}), the actions, and the interfaces between the parts
 * that decide (rules, block lists, prompts) and the verdict path (NFQUEUE). No I/O here.
 */
package dev.netwarden.firewall;
