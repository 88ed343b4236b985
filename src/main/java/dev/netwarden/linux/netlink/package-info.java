/**
 * Netlink over FFM: {@link dev.netwarden.linux.netlink.NetlinkSocket} (the only class here that makes
 * system calls) and the pure, allocation-free cursors that walk netlink messages and attributes in a
 * byte range. Protocol-specific payloads (sock_diag, conntrack, ...) are parsed by the packages that
 * own them; this package knows only {@code nlmsghdr}, {@code nlattr} and {@code nlmsgerr}.
 *
 * <p>Error model: kernel-reported failures are {@link dev.netwarden.linux.netlink.NetlinkException}
 * (checked, an {@link java.io.IOException}); bytes that do not form valid netlink are
 * {@link dev.netwarden.linux.netlink.MalformedNetlinkException} (unchecked).
 */
package dev.netwarden.linux.netlink;
