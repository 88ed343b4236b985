package dev.netwarden.linux.ffm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;

/** A wait on a real socket (UDP on loopback) and a real eventfd, woken from another thread. */
class WakeupTest {

    @Test
    void endsOnTimeoutOnDataAndOnAWakeFromAnotherThread() throws Exception {
        try (Arena arena = Arena.ofConfined(); Wakeup wakeup = Wakeup.open()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.socket(st, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            try {
                MemorySegment sin = arena.allocate(16);
                sin.set(JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_INET);
                sin.set(JAVA_BYTE, 4, (byte) 127);
                sin.set(JAVA_BYTE, 7, (byte) 1);
                assertThat(Libc.bind(st, fd, sin, 16)).isZero();
                MemorySegment len = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, 16);
                assertThat(Libc.getsockname(st, fd, sin, len)).isZero();

                long t0 = System.nanoTime();
                assertThat(wakeup.await(st, fd, 50)).isEqualTo(Wakeup.Outcome.TIMED_OUT);
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(40L, 2_000L);

                CompletableFuture<Long> wokenAfter = CompletableFuture.supplyAsync(() -> {
                    try (Arena a = Arena.ofConfined()) {
                        Libc.CallState waiter = new Libc.CallState(a);
                        long start = System.nanoTime();
                        Wakeup.Outcome o = wakeup.await(waiter, fd, -1); // no limit: only the wake can end it
                        assertThat(o).isEqualTo(Wakeup.Outcome.WOKEN);
                        return (System.nanoTime() - start) / 1_000_000;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(200);
                assertThat(wokenAfter).isNotDone();
                wakeup.wake();
                assertThat(wokenAfter.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(150L);

                wakeup.wake();
                wakeup.wake(); // two wakes before one wait: one WOKEN, then nothing pending
                assertThat(wakeup.await(st, fd, 50)).isEqualTo(Wakeup.Outcome.WOKEN);
                assertThat(wakeup.await(st, fd, 50)).isEqualTo(Wakeup.Outcome.TIMED_OUT);

                MemorySegment message = arena.allocateFrom("x");
                assertThat(Libc.sendto(st, fd, message, 1, 0, sin, 16)).isEqualTo(1);
                wakeup.wake();
                assertThat(wakeup.await(st, fd, 1_000)).as("a wake wins over data").isEqualTo(Wakeup.Outcome.WOKEN);
                assertThat(wakeup.await(st, fd, 1_000)).isEqualTo(Wakeup.Outcome.READABLE);
                assertThat(Libc.recv(st, fd, arena.allocate(16), 16, Libc.MSG_DONTWAIT)).isEqualTo(1);
                assertThat(wakeup.await(st, fd, 50)).isEqualTo(Wakeup.Outcome.TIMED_OUT);
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    @Test
    void aWakeAfterCloseDoesNothing() throws Exception {
        Wakeup wakeup = Wakeup.open();
        wakeup.close();
        wakeup.wake(); // must not write to a closed (or reused) fd number
        wakeup.close();
    }
}
