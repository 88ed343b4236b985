package dev.netwarden.lists;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Downloads a list over HTTP(S) with a conditional GET: the validators of the copy held
 * ({@code ETag} → {@code If-None-Match}, {@code Last-Modified} → {@code If-Modified-Since}, sent back
 * verbatim as RFC 9110 asks) let the server answer 304 without a body. A body over {@code maxBytes}
 * is refused (by its Content-Length before reading, or once reading passes the cap), so a hostile or
 * broken server cannot fill the heap; connect and whole-request timeouts bound the wait.
 */
public final class ListFetcher {
    private final HttpClient client;
    private final Duration requestTimeout;
    private final long maxBytes;

    public ListFetcher(Duration connectTimeout, Duration requestTimeout, long maxBytes) {
        Objects.requireNonNull(connectTimeout, "connectTimeout is null");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout is null");
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
                .build();
    }

    /** What a fetch gave: a new body with its validators, or "not modified". */
    public sealed interface Result {
        record Fetched(byte[] body, String etag, String lastModified) implements Result {
        }

        record NotModified() implements Result {
        }
    }

    /**
     * GETs {@code url}; with a validator (either may be null) the request is conditional. Throws
     * IOException saying what went wrong (status, size, timeout, connection).
     */
    public Result fetch(String url, String etag, String lastModified) throws IOException {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).GET()
                    .header("User-Agent", "netwarden-lists");
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL: " + e.getMessage());
        }
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        if (lastModified != null) {
            request.header("If-Modified-Since", lastModified);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException("timed out: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 304) {
                return new Result.NotModified();
            }
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() > maxBytes) {
                throw new IOException("list is " + length.getAsLong() + " bytes, over the cap of " + maxBytes);
            }
            byte[] data = body.readNBytes((int) maxBytes + 1);
            if (data.length > maxBytes) {
                throw new IOException("list is over the cap of " + maxBytes + " bytes");
            }
            return new Result.Fetched(data, response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null));
        }
    }
}
