package dev.netwarden.daemon.config;

/**
 * A configuration the daemon cannot run with: a bad file, an unknown key, a value of the wrong type
 * or out of range. The message is complete for the user (file, key, line when known, what is
 * allowed); the command prints it as is and exits with the usage/config code.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
