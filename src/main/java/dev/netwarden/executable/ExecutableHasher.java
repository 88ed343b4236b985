package dev.netwarden.executable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * sha256 of the file a process runs, read through {@code /proc/PID/exe}.
 *
 * <p>Why through /proc/PID/exe and not the path: the link resolves to the inode the process runs
 * even after the file was deleted or replaced (an upgrade, or malware deleting itself), and a
 * renamed copy hashes the same as the original. The path is only a name.
 *
 * <p>Cost: results are cached by {@link FileIdentity} (device, inode, size, mtime) in a bounded LRU,
 * so each file version is read once however many processes run it; a repeat costs one stat. Files
 * are streamed through a 64 KiB buffer, never loaded whole. Two threads that ask for the same new
 * version at once hash it once: the second waits for the first.
 *
 * <p>Failures are answers, not exceptions: a process that exited, a kernel thread, an executable
 * this user may not read come back as an {@link ExecutableHash} with an error.
 *
 * <p>Race with exec: the identity is read, the file opened, the identity read again; if the process
 * exec'd in between the two differ and the pin is retried, so the hash always belongs to the
 * identity it is filed under.
 */
public final class ExecutableHasher {
    public static final int DEFAULT_CACHE_ENTRIES = 4096;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int PIN_ATTEMPTS = 3;
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime";

    private final Path procRoot;
    private final int capacity;
    private final Map<FileIdentity, String> cache;
    private final ConcurrentHashMap<FileIdentity, CompletableFuture<ExecutableHash>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong hashesComputed = new AtomicLong();
    private final AtomicLong bytesHashed = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_BYTES));

    /** Counters since start. {@code cacheHits} counts answers given without reading the file. */
    public record Stats(long hashesComputed, long bytesHashed, long cacheHits, int cached) {}

    public ExecutableHasher() {
        this(Path.of("/proc"), DEFAULT_CACHE_ENTRIES);
    }

    public ExecutableHasher(Path procRoot, int cacheEntries) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot is null");
        if (cacheEntries < 1) {
            throw new IllegalArgumentException("cacheEntries must be positive: " + cacheEntries);
        }
        this.capacity = cacheEntries;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FileIdentity, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The hash of what {@code pid} runs now: from the cache, or read now (blocking for a large file). */
    public ExecutableHash hash(int pid) {
        return hash(pin(pid));
    }

    /**
     * Holds {@code pid}'s executable so it can be hashed later, or answers at once when its version
     * is cached or it cannot be read. Cheap: for the event thread.
     */
    public PinnedExecutable pin(int pid) {
        Path exe = procRoot.resolve(Integer.toString(pid)).resolve("exe");
        for (int attempt = 1; ; attempt++) {
            FileIdentity before;
            try {
                before = identity(exe);
            } catch (IOException e) {
                return new PinnedExecutable(ExecutableHash.failed(reason(e), null));
            }
            String cached = cached(before);
            if (cached != null) {
                return new PinnedExecutable(ExecutableHash.of(cached, before));
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(exe, StandardOpenOption.READ);
            } catch (IOException e) {
                return new PinnedExecutable(ExecutableHash.failed(reason(e), before));
            }
            FileIdentity after;
            try {
                after = identity(exe);
            } catch (IOException e) {
                // exited right after the open: the channel may hold the identified file or one a late
                // exec brought; without the second identity that cannot be told apart, so no hash.
                closeQuietly(channel);
                return new PinnedExecutable(ExecutableHash.failed(reason(e), before));
            }
            if (after.equals(before)) {
                return new PinnedExecutable(channel, before);
            }
            closeQuietly(channel);
            if (attempt == PIN_ATTEMPTS) {
                return new PinnedExecutable(ExecutableHash.failed("executable changed while being opened", after));
            }
        }
    }

    /** Hashes a pinned executable (unless resolved already) and closes it. */
    public ExecutableHash hash(PinnedExecutable pinned) {
        Objects.requireNonNull(pinned, "pinned is null");
        try (pinned) {
            if (pinned.known != null) {
                return pinned.known;
            }
            FileIdentity id = pinned.identity;
            String cached = cached(id);
            if (cached != null) {
                return ExecutableHash.of(cached, id);
            }
            CompletableFuture<ExecutableHash> mine = new CompletableFuture<>();
            CompletableFuture<ExecutableHash> theirs = inFlight.putIfAbsent(id, mine);
            if (theirs != null) {
                ExecutableHash h = theirs.join();
                if (h.isKnown()) {
                    cacheHits.incrementAndGet();
                }
                return h;
            }
            ExecutableHash result;
            try {
                result = ExecutableHash.of(digest(pinned.channel), id);
                synchronized (cache) {
                    cache.put(id, result.sha256());
                }
            } catch (IOException e) {
                result = ExecutableHash.failed("read failed: " + e.getMessage(), id);
            } catch (RuntimeException e) {
                result = ExecutableHash.failed("read failed: " + e, id);
            } finally {
                inFlight.remove(id, mine);
            }
            mine.complete(result);
            return result;
        }
    }

    public Stats stats() {
        int size;
        synchronized (cache) {
            size = cache.size();
        }
        return new Stats(hashesComputed.get(), bytesHashed.get(), cacheHits.get(), size);
    }

    private String cached(FileIdentity id) {
        String sha;
        synchronized (cache) {
            sha = cache.get(id);
        }
        if (sha != null) {
            cacheHits.incrementAndGet();
        }
        return sha;
    }

    private String digest(FileChannel channel) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer buffer = buffers.get();
        long total = 0;
        long position = 0;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position); // positional: independent of the channel's own position
            if (n < 0) {
                break;
            }
            position += n;
            total += n;
            buffer.flip();
            sha256.update(buffer);
        }
        hashesComputed.incrementAndGet();
        bytesHashed.addAndGet(total);
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static FileIdentity identity(Path exe) throws IOException {
        Map<String, Object> a = Files.readAttributes(exe, ATTRIBUTES); // follows the magic link
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        java.time.Instant t = mtime.toInstant();
        return new FileIdentity(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                ((Number) a.get("size")).longValue(), t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "process exited or has no executable (kernel thread)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
