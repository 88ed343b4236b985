/**
 * The kernel's proc connector (NETLINK_CONNECTOR, group CN_IDX_PROC): fork, exec, exit and the other
 * process lifecycle events, as they happen.
 *
 * <p>{@link dev.netwarden.linux.connector.ProcEventParser} is the pure parser of the netlink
 * messages ({@code struct cn_msg} + {@code struct proc_event}) into {@link
 * dev.netwarden.linux.connector.ProcEvent} records; {@link dev.netwarden.linux.connector.ProcConnector}
 * is the only class here that makes system calls: it subscribes, receives on a daemon thread and
 * hands process (not thread) events to a {@link dev.netwarden.process.ProcessEventListener}.
 *
 * <p>This package only listens: it never reads /proc (the listener does) and never changes anything
 * in the kernel beyond subscribing and unsubscribing its own socket.
 */
package dev.netwarden.linux.connector;
