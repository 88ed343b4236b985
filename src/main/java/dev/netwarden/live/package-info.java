/**
 * The live view: the connections open now with their latest counters ({@link
 * dev.netwarden.live.LiveFlow}), a fan-out of flow events to whoever watches ({@link
 * dev.netwarden.live.FlowEventBus}: history first, then the web UI's stream), and per-connection
 * rates computed from successive snapshots ({@link dev.netwarden.live.RateTable}) for {@code top} and
 * the web UI.
 *
 * <p>Where live flows come from ({@link dev.netwarden.live.LiveFlowSource}): the daemon's flow tracker,
 * in process or over the control socket ({@link dev.netwarden.live.DaemonFlows}, wire format {@link
 * dev.netwarden.live.LiveFlowJson}), or {@code top}'s own scan without a daemon ({@link
 * dev.netwarden.live.OwnScan}, which reuses the monitor's poll and tracker).
 *
 * <p>Owns no storage and changes nothing in the kernel: the monitor reads the kernel, history keeps the
 * past, and nothing here renders text for a terminal.
 */
package dev.netwarden.live;
