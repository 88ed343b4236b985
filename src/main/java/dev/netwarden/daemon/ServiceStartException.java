package dev.netwarden.daemon;

/** A service failed to start; the services started before it have been closed again. */
public final class ServiceStartException extends Exception {
    private final String service;

    public ServiceStartException(String service, Throwable cause) {
        super("cannot start " + service + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        this.service = service;
    }

    /** The name of the service that failed. */
    public String service() {
        return service;
    }
}
