package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PidSocketsCollectorTest {
    @Test
    void groupsRecordsPerPidAndMergesAPidSeenAgainLater() {
        PidSocketsCollector c = new PidSocketsCollector(null);
        c.accept(10, 3, 100);
        c.accept(10, 4, 101);
        c.accept(20, 5, 200);
        c.accept(10, 7, 102); // a thread of 10 with its own fd table, met after pid 20
        Map<Integer, PidSockets> r = c.result();
        assertThat(r).containsOnlyKeys(10, 20);
        assertThat(r.get(10).inodes()).containsExactly(100, 101, 102);
        assertThat(r.get(10).fds()).containsExactly(3, 4, 7);
        assertThat(r.get(20).inodes()).containsExactly(200);
        assertThat(r.get(20).unreadable()).isFalse();
    }

    @Test
    void keepsOnlyWantedInodesAndGrowsPastItsFirstArrays() {
        PidSocketsCollector c = new PidSocketsCollector(inode -> inode % 2 == 0);
        for (int fd = 0; fd < 1000; fd++) {
            c.accept(30, fd, fd);
        }
        PidSockets s = c.result().get(30);
        assertThat(s.count()).isEqualTo(500);
        assertThat(s.inodes()[499]).isEqualTo(998);
        assertThat(new PidSocketsCollector(null).result()).isEmpty();
    }
}
