/**
 * nfnetlink_queue over FFM: {@link dev.netwarden.linux.nfqueue.NfQueue} binds one NFQUEUE number in
 * the calling thread's network namespace, receives the packets an iptables {@code -j NFQUEUE} rule
 * queues and sends {@link dev.netwarden.linux.nfqueue.Verdict verdicts}; the pure
 * {@link dev.netwarden.linux.nfqueue.NfQueueMessageParser} turns one queued-packet message into a
 * {@link dev.netwarden.linux.nfqueue.QueuedPacket}.
 *
 * <p>Owns the queue socket and its protocol only. It installs no firewall rule (that is
 * {@code dev.netwarden.intercept}) and decides no verdict (the caller's handler does). Kernel ABI
 * notes: PF_BIND/PF_UNBIND are no-ops since Linux 3.8 and are not sent; native nftables
 * {@code queue} is not used because this project's target kernels may lack CONFIG_NFT_QUEUE, while
 * the iptables NFQUEUE target (xt_NFQUEUE, also under iptables-nft) is there.
 */
package dev.netwarden.linux.nfqueue;
