package dev.netwarden.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} response body (the web API's {@code /api/events} and
 * {@code /api/live}) on a virtual thread, as a browser's EventSource would, and hands each frame to
 * the test as {@code {event, data}}; it stops when the stream ends or the test closes it.
 */
final class EventStreamReader {
    private EventStreamReader() {
    }

    static void start(InputStream body, Consumer<String[]> frames) {
        Objects.requireNonNull(body, "body is null");
        Objects.requireNonNull(frames, "frames is null");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = br.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        frames.accept(new String[] {event, line.substring(6)});
                    }
                }
            } catch (Exception closed) {
                // the test closed the stream
            }
        });
    }
}
