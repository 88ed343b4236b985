/**
 * The {@code intercept} level: netwarden's own iptables chains that queue the first packet of every
 * new connection ({@link dev.netwarden.intercept.InterceptRules}), and the loop that answers each
 * queued packet with the verdict of an {@link dev.netwarden.intercept.InterceptHandler}
 * ({@link dev.netwarden.intercept.InterceptLoop}), under a {@link dev.netwarden.intercept.FailPolicy}.
 *
 * <p>Owns only chains named {@code NETWARDEN-*} and the jumps to them, in the network namespace the
 * process runs in; never touches another rule, table policy or chain. Does not attribute or record
 * anything itself: {@link dev.netwarden.intercept.QueuedPacketAttributor} hands each first packet to the
 * monitor's flow tracker, which does; and does not decide verdicts (the firewall does).
 */
package dev.netwarden.intercept;
