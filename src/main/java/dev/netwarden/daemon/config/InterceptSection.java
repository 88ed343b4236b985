package dev.netwarden.daemon.config;

import dev.netwarden.intercept.FailPolicy;

import java.util.Objects;

/**
 * {@code [intercept]}: only read at the intercept level.
 *
 * @param queueNum    the NFQUEUE number (0–65535); must not collide with another program's queue
 * @param failPolicy  what happens to packets while no daemon reads the queue
 * @param queueMaxlen packets the kernel holds for the queue before {@link #failPolicy} applies
 * @param inbound     also queue new inbound connections (not only outbound)
 * @param queueDns    also queue DNS traffic (normally only sniffed, to keep name resolution fast)
 */
public record InterceptSection(int queueNum, FailPolicy failPolicy, int queueMaxlen, boolean inbound, boolean queueDns) {
    public InterceptSection {
        Objects.requireNonNull(failPolicy, "failPolicy is null");
    }
}
