/**
 * Domain names for addresses, learned the way the programs on this machine learned them: from the
 * DNS answers the machine receives, and from /etc/hosts.
 *
 * <p>Owns: the pure parsers ({@link dev.netwarden.dns.DnsAnswers} over dnsjava,
 * {@link dev.netwarden.dns.HostsFile}), the TCP message reassembler
 * ({@link dev.netwarden.dns.TcpDnsStream}), the bounded store the monitor asks
 * ({@link dev.netwarden.dns.DomainCache}, a {@link dev.netwarden.flow.DomainLookup}) and the
 * read-only AF_PACKET listener that feeds it ({@link dev.netwarden.dns.DnsSniffer}).
 *
 * <p>Must not: change any firewall rule, socket option outside its own socket, or route; send a
 * packet; print a name unescaped (names are attacker-controlled: they come off the network). Every
 * structure fed from the network is bounded in count and bytes, so a hostile flood costs CPU, never
 * unbounded memory.
 */
package dev.netwarden.dns;
