package dev.netwarden.linux.bpf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSocketRecordsTest {
    @Test
    void readsWholeRecordsAndLeavesARemainderUnread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(64);
            b.set(ValueLayout.JAVA_INT, 0, 1234);
            b.set(ValueLayout.JAVA_INT, 4, 7);
            b.set(ValueLayout.JAVA_LONG, 8, 987_654_321L);
            b.set(ValueLayout.JAVA_INT, 16, 1234);
            b.set(ValueLayout.JAVA_INT, 20, 9);
            b.set(ValueLayout.JAVA_LONG, 24, 5L);
            List<String> seen = new ArrayList<>();
            long used = TaskSocketRecords.forEach(b, 40, (pid, fd, inode) -> seen.add(pid + "/" + fd + "/" + inode));
            assertThat(used).isEqualTo(32);
            assertThat(seen).containsExactly("1234/7/987654321", "1234/9/5");
        }
    }

    @Test
    void impossiblePidsAndFdsAreDroppedAndBadLengthsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(32);
            b.set(ValueLayout.JAVA_INT, 0, 0);     // pid 0
            b.set(ValueLayout.JAVA_INT, 16, 5);
            b.set(ValueLayout.JAVA_INT, 20, -1);   // fd -1
            int[] n = new int[1];
            TaskSocketRecords.forEach(b, 32, (pid, fd, inode) -> n[0]++);
            assertThat(n[0]).isZero();
            assertThatThrownBy(() -> TaskSocketRecords.forEach(b, 48, (pid, fd, inode) -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
