package dev.netwarden.linux.bpf;

import dev.netwarden.linux.ffm.ErrnoException;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The iterator links of the few processes scanned most recently, kept open for the next scan of the
 * same process. Why: a one-process scan made its link each time (bpf LINK_CREATE, which allocates an
 * anonymous file, then a close), about a third of the ~19 µs the scan cost; the firewall scans the same
 * few busy processes again and again (the last sole holder of a new socket).
 *
 * <p>A link names its process by pid number, and the kernel looks the number up each time an iterator
 * is made from it, so a kept link for a pid scans whatever process has that pid now: the same answer a
 * new link would give, including nothing once the pid is gone.
 *
 * <p>Thread-safe; the lock is held only to look up, count users and evict, never during a scan. A link
 * evicted (or the cache closed) while a scan uses it is closed by that scan's {@link #release}.
 */
final class PidLinkCache {
    /** Makes the link for a pid; throws when the pid does not exist or the kernel refuses. */
    @FunctionalInterface
    interface LinkFactory {
        int create(int pid) throws ErrnoException;
    }

    /** One kept link: its fd, the scans using it now, and whether it left the cache. */
    static final class Link {
        final int pid;
        final int fd;
        private int users;
        private boolean dropped;

        private Link(int pid, int fd) {
            this.pid = pid;
            this.fd = fd;
        }
    }

    private final int capacity;
    private final LinkFactory factory;
    private final IntConsumer closer;
    /** Access order: the eldest entry is the least recently scanned pid. */
    private final LinkedHashMap<Integer, Link> links = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;
    private long created;
    private long reused;

    /**
     * @param capacity most links kept at once (each is one open fd)
     * @param factory  makes a link (called with the lock held: it is one system call)
     * @param closer   closes a link's fd
     */
    PidLinkCache(int capacity, LinkFactory factory, IntConsumer closer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.factory = factory;
        this.closer = closer;
    }

    /** The link for {@code pid}, kept or new; pair every call with {@link #release}. */
    synchronized Link acquire(int pid) throws ErrnoException {
        if (closed) {
            throw new IllegalStateException("task socket iterator closed");
        }
        Link link = links.get(pid);
        if (link != null) {
            reused++;
        } else {
            link = new Link(pid, factory.create(pid));
            created++;
            links.put(pid, link);
            if (links.size() > capacity) {
                Iterator<Map.Entry<Integer, Link>> eldest = links.entrySet().iterator();
                Link out = eldest.next().getValue();
                eldest.remove();
                drop(out);
            }
        }
        link.users++;
        return link;
    }

    /** The scan that acquired {@code link} is done with it. */
    synchronized void release(Link link) {
        link.users--;
        if (link.dropped && link.users == 0) {
            closer.accept(link.fd);
        }
    }

    /** Closes every kept link (those in use when their scan ends); later acquires fail. */
    synchronized void close() {
        closed = true;
        for (Link link : links.values()) {
            drop(link);
        }
        links.clear();
    }

    /** Links made and links reused, for tests and status. */
    synchronized long[] counts() {
        return new long[] {created, reused};
    }

    /** Links kept now. */
    synchronized int size() {
        return links.size();
    }

    private void drop(Link link) {
        link.dropped = true;
        if (link.users == 0) {
            closer.accept(link.fd);
        }
    }
}
