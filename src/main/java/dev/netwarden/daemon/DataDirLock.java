package dev.netwarden.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Keeps a second daemon off a data dir: an exclusive lock ({@code fcntl} through
 * {@link FileChannel#tryLock()}) on {@code netwarden.lock}, held for the daemon's life and released by
 * the kernel when the process dies (kill -9 included, so no stale-lock cleanup is ever needed). The
 * pid is written into the lock file (so the refusal can name the holder) and into {@code netwarden.pid}
 * for tools.
 */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path pidFile;

    private DataDirLock(FileChannel channel, FileLock lock, Path pidFile) {
        this.channel = channel;
        this.lock = lock;
        this.pidFile = pidFile;
    }

    /** Thrown when another daemon holds the lock. */
    public static final class HeldException extends IOException {
        public HeldException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code dataDir} (created if missing) through {@code lockFile} and writes {@code pidFile}.
     *
     * @throws HeldException when another daemon uses the data dir
     */
    public static DataDirLock acquire(Path dataDir, Path lockFile, Path pidFile) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Files.createDirectories(dataDir);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String pid = holderPid(ch);
            ch.close();
            throw new HeldException("another netwarden daemon (pid " + pid + ") uses " + dataDir
                    + " (locked " + lockFile + "); stop it or give this one another --data-dir");
        }
        try {
            String me = ProcessHandle.current().pid() + "\n";
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(me.getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            Files.writeString(pidFile, me);
        } catch (IOException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new DataDirLock(ch, lock, pidFile);
    }

    private static String holderPid(FileChannel ch) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.matches("[0-9]{1,10}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Removes the pid file and releases the lock (the lock file stays: removing it would race a starting daemon). */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(pidFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
