package dev.netwarden.dns;

import dev.netwarden.flow.DomainLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * /etc/hosts as a {@link DomainLookup} that follows edits: at most once per check interval, a
 * caller looks at the file's modification time and size and re-reads it when they changed.
 *
 * <p>Why checked by the callers and not a watch thread: the check is a stat(2) per interval, far
 * cheaper than a thread; a caller that finds another one checking does not wait (tryLock) and reads
 * the current table. A missing file is an empty table; a file that cannot be read (or is larger
 * than {@value #MAX_BYTES} bytes) keeps the previous table and records the error.
 */
public final class HostsFileWatcher implements DomainLookup {
    public static final Path DEFAULT_PATH = Path.of("/etc/hosts");
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);
    static final long MAX_BYTES = 16L << 20;

    private final Path path;
    private final long checkIntervalNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile HostsFile current = HostsFile.empty();
    private volatile long nextCheckNanos;
    private volatile String lastError;
    private volatile int loads;
    private long seenModified = Long.MIN_VALUE; // guarded by checking
    private long seenSize = -1;                // guarded by checking
    private Object seenKey;                    // guarded by checking: device and inode (a replaced file)

    public HostsFileWatcher(Path path, Duration checkInterval, LongSupplier nanoClock) {
        this.path = Objects.requireNonNull(path, "path is null");
        this.checkIntervalNanos = Objects.requireNonNull(checkInterval, "checkInterval is null").toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        checking.lock();
        try {
            check();
        } finally {
            checking.unlock();
        }
    }

    /** Follows {@code path}, checked every {@link #DEFAULT_CHECK_INTERVAL}. */
    public HostsFileWatcher(Path path) {
        this(path, DEFAULT_CHECK_INTERVAL, System::nanoTime);
    }

    @Override
    public String nameFor(InetAddress address) {
        if (nanoClock.getAsLong() - nextCheckNanos >= 0 && checking.tryLock()) {
            try {
                check();
            } finally {
                checking.unlock();
            }
        }
        return current.nameFor(address);
    }

    /** The table in use now. */
    public HostsFile current() {
        return current;
    }

    /** How many times the file was (re)read. */
    public int loads() {
        return loads;
    }

    /** The last read error, or null. */
    public String lastError() {
        return lastError;
    }

    private void check() {
        nextCheckNanos = nanoClock.getAsLong() + checkIntervalNanos;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            long size = attributes.size();
            Object key = attributes.fileKey();
            if (modified == seenModified && size == seenSize && Objects.equals(key, seenKey)) {
                return;
            }
            if (size > MAX_BYTES) {
                throw new IOException(path + " is larger than " + MAX_BYTES + " bytes");
            }
            HostsFile parsed = HostsFile.parse(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
            seenModified = modified;
            seenSize = size;
            seenKey = key;
            current = parsed;
            loads++;
            lastError = null;
        } catch (NoSuchFileException e) {
            seenModified = Long.MIN_VALUE;
            seenSize = -1;
            seenKey = null;
            current = HostsFile.empty();
        } catch (IOException | RuntimeException e) {
            lastError = e.toString();
        }
    }
}
