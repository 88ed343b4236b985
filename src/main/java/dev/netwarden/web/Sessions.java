package dev.netwarden.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The logged-in browsers, in memory only (a daemon restart logs everyone out, which is the safe
 * default). Each session has a random id (the cookie) and a random CSRF token the page sends back in a
 * header on every state-changing request. A session unused for {@code idle} expires; at most
 * {@code max} live at once (the least recently used goes first), so a script logging in in a loop
 * cannot grow the daemon's memory.
 */
public final class Sessions {
    /** One logged-in browser. */
    public static final class Session {
        private final String id;
        private final String csrf;
        private volatile long lastUsedMillis;

        Session(String id, String csrf, long now) {
            this.id = id;
            this.csrf = csrf;
            this.lastUsedMillis = now;
        }

        public String id() {
            return id;
        }

        public String csrf() {
            return csrf;
        }

        /** Constant-time comparison with the header a request sent (null: none). */
        public boolean csrfMatches(String header) {
            return header != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    header.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration idle;
    private final int max;
    private final LongSupplier clock;
    /** Access order: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);

    public Sessions(Duration idle, int max, LongSupplier clock) {
        this.idle = Objects.requireNonNull(idle, "idle is null");
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        this.max = max;
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** 32 random bytes, base64url without padding: a session id, CSRF token or UI token. */
    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public synchronized Session create() {
        expire();
        while (byId.size() >= max) {
            Iterator<Map.Entry<String, Session>> eldest = byId.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        Session s = new Session(randomToken(), randomToken(), clock.getAsLong());
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with this id (touching it), or null. */
    public synchronized Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = byId.get(id);
        if (s == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (now - s.lastUsedMillis > idle.toMillis()) {
            byId.remove(id);
            return null;
        }
        s.lastUsedMillis = now;
        return s;
    }

    public synchronized void remove(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    public synchronized int size() {
        expire();
        return byId.size();
    }

    private void expire() {
        long cutoff = clock.getAsLong() - idle.toMillis();
        byId.values().removeIf(s -> s.lastUsedMillis < cutoff);
    }
}
