package dev.netwarden.executable;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A process's executable held open (or its hash already known), so it can be hashed later even if
 * the process has exited and the file was deleted meanwhile. Made by
 * {@link ExecutableHasher#pin(int)}, consumed (and closed) by {@link ExecutableHasher#hash(PinnedExecutable)}.
 *
 * <p>Why: pinning costs two stats and an open (microseconds) and can be done on the event thread the
 * moment a process execs; hashing a large binary takes milliseconds to seconds and runs elsewhere.
 */
public final class PinnedExecutable implements AutoCloseable {
    final FileChannel channel;
    final FileIdentity identity;
    final ExecutableHash known;

    PinnedExecutable(FileChannel channel, FileIdentity identity) {
        this.channel = channel;
        this.identity = identity;
        this.known = null;
    }

    PinnedExecutable(ExecutableHash known) {
        this.channel = null;
        this.identity = known.file();
        this.known = known;
    }

    /** True when the hash (or the reason for its absence) was known at pin time: hashing costs nothing. */
    public boolean isResolved() {
        return known != null;
    }

    public FileIdentity identity() {
        return identity;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing was buffered
            }
        }
    }
}
