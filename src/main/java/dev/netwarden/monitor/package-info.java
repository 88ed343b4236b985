/**
 * The monitor: turns kernel observations into flows with processes and names.
 *
 * <p>One path after a socket is seen: the passive sources ({@link dev.netwarden.monitor.SockDiagPoller}
 * dumps, {@link dev.netwarden.monitor.SockDiagDestroyListener} destroy notifications) and later the
 * NFQUEUE path all hand what they saw to {@link dev.netwarden.monitor.FlowTracker}, which keeps the
 * live flows, asks {@link dev.netwarden.monitor.SocketOwners} who holds the socket and
 * {@link dev.netwarden.flow.DomainLookup} what the remote is called (owners come from
 * {@link dev.netwarden.monitor.ProcessRegistry}, which keeps processes after they exit), and publishes
 * {@link dev.netwarden.flow.FlowEvent}s; {@link dev.netwarden.monitor.AlertDetector} reads the opened
 * flows. {@link dev.netwarden.monitor.PassiveMonitor} puts the passive level together.
 *
 * <p>Owns no kernel access of its own (it calls {@code linux.sockdiag}, {@code linux.proc},
 * {@code linux.netlink}), no storage (history is behind {@link dev.netwarden.flow.FlowEventSink}) and
 * no DNS parsing (behind {@link dev.netwarden.flow.DomainLookup}).
 */
package dev.netwarden.monitor;
