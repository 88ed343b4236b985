/**
 * The daemon's live view: the connections open now with their latest counters ({@link
 * dev.netwarden.live.LiveFlow}), a fan-out of flow events to whoever watches ({@link
 * dev.netwarden.live.FlowEventBus}: history first, then the web UI's stream), and per-connection
 * rates computed from successive snapshots ({@link dev.netwarden.live.RateTable}) for {@code top} and
 * the web UI.
 *
 * <p>Owns no kernel access and no storage: the monitor supplies the snapshots, history keeps the past.
 */
package dev.netwarden.live;
