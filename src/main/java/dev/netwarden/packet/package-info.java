/**
 * Pure parsers of IP packets as the kernel hands them to AF_PACKET SOCK_DGRAM and NFQUEUE sockets
 * (starting at the IP header): {@link dev.netwarden.packet.IpPacket}. Bytes in, a record out; no
 * system calls, no state, no logging. It must not know about sockets, DNS or processes: the
 * sniffer ({@code dns}) and the intercept path read its records.
 *
 * <p>Error model: bytes that do not form the packet they claim to are
 * {@link dev.netwarden.packet.MalformedPacketException} (unchecked).
 */
package dev.netwarden.packet;
