package dev.netwarden.linux.bpf;

import dev.netwarden.linux.ffm.ErrnoException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PidLinkCacheTest {
    /** Fake links: fd = 1000 + pid; records what was made and closed. */
    private final List<Integer> made = new ArrayList<>();
    private final List<Integer> closedFds = new ArrayList<>();

    private PidLinkCache cache(int capacity) {
        return new PidLinkCache(capacity, pid -> {
            if (pid == 666) {
                throw new ErrnoException("bpf(LINK_CREATE) for pid 666", 1);
            }
            made.add(pid);
            return 1000 + pid;
        }, closedFds::add);
    }

    @Test
    void aSecondScanOfTheSamePidReusesItsLink() throws ErrnoException {
        PidLinkCache c = cache(2);
        PidLinkCache.Link a = c.acquire(10);
        c.release(a);
        PidLinkCache.Link b = c.acquire(10);
        c.release(b);
        assertThat(b.fd).isEqualTo(a.fd).isEqualTo(1010);
        assertThat(made).containsExactly(10);
        assertThat(c.counts()).containsExactly(1, 1);
        assertThat(closedFds).isEmpty();
    }

    @Test
    void theLeastRecentlyScannedPidIsClosedWhenTheCacheIsFull() throws ErrnoException {
        PidLinkCache c = cache(2);
        c.release(c.acquire(1));
        c.release(c.acquire(2));
        c.release(c.acquire(1)); // 1 is now the most recent
        c.release(c.acquire(3));
        assertThat(closedFds).containsExactly(1002);
        assertThat(c.size()).isEqualTo(2);
        c.release(c.acquire(1));
        assertThat(made).containsExactly(1, 2, 3);
    }

    @Test
    void aLinkEvictedWhileInUseIsClosedWhenItsScanEnds() throws ErrnoException {
        PidLinkCache c = cache(1);
        PidLinkCache.Link busy = c.acquire(1);
        c.release(c.acquire(2)); // evicts 1 while a scan still reads it
        assertThat(closedFds).isEmpty();
        c.release(busy);
        assertThat(closedFds).containsExactly(1001);
    }

    @Test
    void closingClosesIdleLinksAtOnceAndBusyOnesAtRelease() throws ErrnoException {
        PidLinkCache c = cache(4);
        c.release(c.acquire(1));
        PidLinkCache.Link busy = c.acquire(2);
        c.close();
        assertThat(closedFds).containsExactly(1001);
        c.release(busy);
        assertThat(closedFds).containsExactly(1001, 1002);
        assertThatThrownBy(() -> c.acquire(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aLinkTheKernelRefusesIsNotKept() {
        PidLinkCache c = cache(2);
        assertThatThrownBy(() -> c.acquire(666)).isInstanceOf(ErrnoException.class).hasMessageContaining("pid 666");
        assertThat(c.size()).isZero();
        assertThat(c.counts()).containsExactly(0, 0);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> cache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
