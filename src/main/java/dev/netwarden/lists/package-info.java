/**
 * Block (and allow) lists: parsing list files in the common formats (hosts files, plain domain
 * lists, adblock-style {@code ||domain^} rules, IP and CIDR lists), the compact in-memory sets that
 * answer "is this name or address listed" in O(name length) without blocking, and {@link
 * dev.netwarden.lists.BlockLists}, which loads named lists from files or URLs (conditional GET, an
 * on-disk cache) off the packet path and swaps each new copy in whole.
 *
 * <p>Owns its cache directory and nothing else: it does not decide verdicts (rules ask it through
 * {@link dev.netwarden.firewall.ListMembership}), touches no netfilter state and no kernel socket.
 * Everything read from a list is untrusted text: parsers never throw on content, and callers that
 * print it escape it ({@code conns.format.TerminalText}).
 */
package dev.netwarden.lists;
