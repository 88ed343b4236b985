package dev.netwarden.daemon.config;

/**
 * {@code intercept.fail_policy}: what the kernel does with queued packets when no daemon reads the
 * queue (stopped, crashed, queue full). {@link #OPEN} lets them through (NFQUEUE bypass): a dead
 * monitor never cuts the machine off, at the price of unattributed connections while it is down.
 * {@link #CLOSED} drops them: nothing passes unseen, at the price of connectivity.
 */
public enum FailPolicy { CLOSED, OPEN }
