package dev.netwarden.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The services of one daemon run: started in the order given, closed in reverse. A service that fails
 * to start closes the ones started before it, so a failed start leaves nothing running and nothing
 * half-written. Closing is idempotent and never throws: a service that fails to close is logged and
 * the others are still closed.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("netwarden.daemon");

    private final List<Service> services;
    private final List<Service> started = new ArrayList<>();
    private Instant startedAt;
    private boolean closed;

    public Daemon(List<Service> services) {
        this.services = List.copyOf(Objects.requireNonNull(services, "services is null"));
    }

    /** Starts every service in order; on the first failure closes the started ones (reverse) and throws. */
    public synchronized void start() throws ServiceStartException {
        if (startedAt != null) {
            throw new IllegalStateException("already started");
        }
        startedAt = Instant.now();
        for (Service s : services) {
            try {
                LOG.fine(() -> "starting " + s.name());
                s.start();
                started.add(s);
            } catch (Exception | LinkageError e) {
                LOG.log(Level.SEVERE, "cannot start " + s.name() + ": " + e.getMessage(), e);
                closeStarted();
                closed = true;
                throw new ServiceStartException(s.name(), e);
            }
        }
        LOG.info(() -> "started " + String.join(", ", services.stream().map(Service::name).toList()));
    }

    /** The services, in start order. */
    public List<Service> services() {
        return services;
    }

    /** When {@link #start()} was called, or null before. */
    public synchronized Instant startedAt() {
        return startedAt;
    }

    /** Closes the started services in reverse order. Safe to call more than once and from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStarted();
    }

    private void closeStarted() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Service s = started.get(i);
            try {
                s.close();
                LOG.info(() -> "stopped " + s.name());
            } catch (Exception | LinkageError e) {
                LOG.log(Level.WARNING, "error stopping " + s.name() + ": " + e.getMessage(), e);
            }
        }
        started.clear();
    }
}
