package dev.netwarden.lists;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * The last good download of each URL list on disk ({@code NAME.list} and {@code NAME.meta}: the URL,
 * the validators and when it was fetched), so a restarted daemon has its lists before the network is
 * up, and its first request can be conditional. Files are replaced by rename, so a crash leaves the
 * old copy or the new one, never half of one.
 */
final class ListCache {
    private final Path dir;

    ListCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
    }

    record Entry(byte[] body, String url, String etag, String lastModified, Instant fetchedAt) {
    }

    /** The cached copy of list {@code name} fetched from {@code url}, or null when there is none for that URL. */
    Entry read(String name, String url) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".meta"))) {
            meta.load(in);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!url.equals(meta.getProperty("url"))) {
            return null;
        }
        byte[] body;
        try {
            body = Files.readAllBytes(dir.resolve(name + ".list"));
        } catch (NoSuchFileException e) {
            return null;
        }
        long fetched;
        try {
            fetched = Long.parseLong(meta.getProperty("fetched-at", "0"));
        } catch (NumberFormatException e) {
            fetched = 0;
        }
        return new Entry(body, url, meta.getProperty("etag"), meta.getProperty("last-modified"), Instant.ofEpochMilli(fetched));
    }

    /** Stores a new body and its validators (body first: the meta file is what makes an entry valid). */
    void write(String name, String url, byte[] body, String etag, String lastModified, Instant fetchedAt) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".list.tmp");
        Files.write(tmp, body);
        Files.move(tmp, dir.resolve(name + ".list"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writeMeta(name, url, etag, lastModified, fetchedAt);
    }

    /** Records a 304: the cached body is current as of {@code fetchedAt}. */
    void writeMeta(String name, String url, String etag, String lastModified, Instant fetchedAt) throws IOException {
        Files.createDirectories(dir);
        Properties meta = new Properties();
        meta.setProperty("url", url);
        if (etag != null) {
            meta.setProperty("etag", etag);
        }
        if (lastModified != null) {
            meta.setProperty("last-modified", lastModified);
        }
        meta.setProperty("fetched-at", Long.toString(fetchedAt.toEpochMilli()));
        Path tmp = dir.resolve(name + ".meta.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            meta.store(out, "netwarden list cache");
        }
        Files.move(tmp, dir.resolve(name + ".meta"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
