package dev.netwarden.executable;

/**
 * The sha256 of an executable, or why there is none.
 *
 * @param sha256 lower-case hex, or null when {@code error} says why it is missing
 * @param error  a short reason ("process exited", "permission denied", "no executable (kernel
 *               thread)", an I/O message); null when {@code sha256} is set
 * @param file   the file version hashed; null when it could not even be identified
 */
public record ExecutableHash(String sha256, String error, FileIdentity file) {

    public ExecutableHash {
        if ((sha256 == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of sha256 and error must be set");
        }
    }

    static ExecutableHash of(String sha256, FileIdentity file) {
        return new ExecutableHash(sha256, null, file);
    }

    static ExecutableHash failed(String error, FileIdentity file) {
        return new ExecutableHash(null, error, file);
    }

    public boolean isKnown() {
        return sha256 != null;
    }
}
