package dev.netwarden.linux.nfqueue;

/**
 * The numbers of the nfnetlink_queue protocol ({@code linux/netfilter/nfnetlink_queue.h},
 * {@code linux/netfilter/nfnetlink.h}), in one place so the parser and the socket agree.
 *
 * <p>Every message after the netlink header starts with {@code struct nfgenmsg}: u8 family, u8
 * version (0), be16 res_id (the queue number). Attribute values are big-endian.
 */
final class NfQueueProtocol {
    static final int NFNL_SUBSYS_QUEUE = 3;
    static final int NFGENMSG_LENGTH = 4;

    static final int NFQNL_MSG_PACKET = 0;
    static final int NFQNL_MSG_VERDICT = 1;
    static final int NFQNL_MSG_CONFIG = 2;
    static final int NFQNL_MSG_VERDICT_BATCH = 3;

    /** Message type of a queued packet: subsystem in the high byte. */
    static final int TYPE_PACKET = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET;
    static final int TYPE_VERDICT = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT;
    static final int TYPE_CONFIG = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG;
    static final int TYPE_VERDICT_BATCH = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT_BATCH;

    // enum nfqnl_attr_type
    static final int NFQA_PACKET_HDR = 1;
    static final int NFQA_VERDICT_HDR = 2;
    static final int NFQA_MARK = 3;
    static final int NFQA_IFINDEX_INDEV = 5;
    static final int NFQA_IFINDEX_OUTDEV = 6;
    static final int NFQA_PAYLOAD = 10;
    static final int NFQA_CT = 11;
    static final int NFQA_CT_INFO = 12;
    static final int NFQA_CAP_LEN = 13;
    static final int NFQA_SKB_INFO = 14;
    static final int NFQA_UID = 16;
    static final int NFQA_GID = 17;

    /** CTA_ID inside the nested NFQA_CT (enum ctattr_type). */
    static final int CTA_ID = 12;

    // enum nfqnl_attr_config
    static final int NFQA_CFG_CMD = 1;
    static final int NFQA_CFG_PARAMS = 2;
    static final int NFQA_CFG_QUEUE_MAXLEN = 3;
    static final int NFQA_CFG_MASK = 4;
    static final int NFQA_CFG_FLAGS = 5;

    // enum nfqnl_msg_config_cmds. PF_BIND/PF_UNBIND have been no-ops since Linux 3.8 and are not sent.
    static final int NFQNL_CFG_CMD_BIND = 1;
    static final int NFQNL_CFG_CMD_UNBIND = 2;

    static final int NFQNL_COPY_PACKET = 2;

    static final int NFQA_CFG_F_FAIL_OPEN = 1;
    static final int NFQA_CFG_F_CONNTRACK = 1 << 1;
    static final int NFQA_CFG_F_GSO = 1 << 2;
    static final int NFQA_CFG_F_UID_GID = 1 << 3;

    // netfilter verdicts (linux/netfilter.h)
    static final int NF_DROP = 0;
    static final int NF_ACCEPT = 1;

    private NfQueueProtocol() {
    }
}
