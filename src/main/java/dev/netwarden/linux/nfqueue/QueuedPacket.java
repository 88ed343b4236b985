package dev.netwarden.linux.nfqueue;

import java.util.Objects;

/**
 * One packet the kernel queued to us, as carried by an {@code NFQNL_MSG_PACKET} message.
 *
 * @param queueNumber the queue it came from (nfgenmsg res_id)
 * @param family      AF_INET (2) or AF_INET6 (10) (nfgenmsg family)
 * @param packetId    the id a verdict must name (u32, as a Java int)
 * @param hwProtocol  the link-layer protocol (0x0800 IPv4, 0x86DD IPv6)
 * @param hook        the netfilter hook: 0 PREROUTING, 1 INPUT, 2 FORWARD, 3 OUTPUT, 4 POSTROUTING
 * @param inIfindex   input interface index, 0 when none (outgoing packets)
 * @param outIfindex  output interface index, 0 when none (incoming packets)
 * @param uid         uid of the socket's owner, {@link #NO_ID} when the kernel did not say (no local
 *                    socket, or the queue was not configured for it)
 * @param gid         gid of the socket's owner, or {@link #NO_ID}
 * @param mark        the packet mark (0 when none)
 * @param ctInfo      conntrack state (0 ESTABLISHED, 1 RELATED, 2 NEW, 3 ESTABLISHED_REPLY, 4
 *                    RELATED_REPLY) or -1 when not reported (the queue did not ask for conntrack)
 * @param ctId        conntrack entry id (u32) or -1 when not reported
 * @param packetLength the packet's full length: NFQA_CAP_LEN when the payload was cut to the copy range, else
 *                    the payload's length
 * @param payload     the packet from its network header on (possibly cut to the copy range)
 */
public record QueuedPacket(
        int queueNumber,
        int family,
        int packetId,
        int hwProtocol,
        int hook,
        int inIfindex,
        int outIfindex,
        int uid,
        int gid,
        int mark,
        int ctInfo,
        long ctId,
        int packetLength,
        byte[] payload) {

    /** uid/gid value when the kernel sent none; it is also the invalid id (uid_t)-1, never a real user. */
    public static final int NO_ID = -1;

    public static final int HOOK_INPUT = 1;
    public static final int HOOK_OUTPUT = 3;

    public QueuedPacket {
        Objects.requireNonNull(payload, "payload is null");
    }

    public boolean hasUid() {
        return uid != NO_ID;
    }

    /** True when the payload holds the whole packet, not just its first copy-range bytes. */
    public boolean isComplete() {
        return packetLength == payload.length;
    }
}
