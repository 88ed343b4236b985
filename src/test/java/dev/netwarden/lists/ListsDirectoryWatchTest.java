package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lists directory followed while running: real files in a temporary directory, a started
 * {@link BlockLists} (loads on its own thread) and {@link ListsDirectoryWatch#scanNow()} standing in
 * for the timer's tick. Loads are asynchronous, so the test polls the membership.
 */
class ListsDirectoryWatchTest {
    @TempDir
    Path tmp;

    private Path dir;
    private BlockLists lists;
    private ListsDirectoryWatch watch;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createDirectories(tmp.resolve("lists"));
        lists = new BlockLists(List.of(), tmp.resolve("cache"), BlockLists.Options.defaults());
        lists.start();
        watch = new ListsDirectoryWatch(new ListsDirectory(dir, Duration.ofHours(24)), lists);
    }

    @AfterEach
    void tearDown() {
        watch.close();
        lists.close();
    }

    @Test
    void addedChangedMalformedAndDeletedListsTakeEffectWithoutARestart() throws Exception {
        assertThat(watch.scanNow().isEmpty()).isTrue();
        assertThat(lists.names()).isEmpty();

        Files.writeString(dir.resolve("ads.list"), "# ads\nads.example\n");
        BlockLists.Update added = watch.scanNow();
        assertThat(added.added()).containsExactly("ads");
        await(() -> lists.containsDomain("ads", "x.ads.example"), "the added list loaded");
        BlockLists.Update again = watch.scanNow();
        assertThat(again.isEmpty()).as("an unchanged directory changes nothing: " + again).isTrue();

        Files.writeString(dir.resolve("ads.list"), "tracker.example\nmore.example\n");
        assertThat(watch.scanNow().reloading()).containsExactly("ads");
        await(() -> lists.containsDomain("ads", "tracker.example"), "the changed list re-read");
        assertThat(lists.containsDomain("ads", "ads.example")).as("the old entries are gone").isFalse();

        Files.writeString(dir.resolve("ads.list"), "this is !!! not a list\n%%% at all ###\n");
        assertThat(watch.scanNow().reloading()).containsExactly("ads");
        await(() -> stats("ads").lastError() != null, "the malformed copy reported");
        assertThat(stats("ads").lastError()).contains("no entries");
        assertThat(lists.containsDomain("ads", "tracker.example")).as("the last good copy stays in use").isTrue();
        assertThat(watch.scanNow().isEmpty()).as("a file that stays malformed is not re-read every scan").isTrue();

        Files.writeString(dir.resolve("ads.list"), "fixed.example\n");
        watch.scanNow();
        await(() -> lists.containsDomain("ads", "fixed.example"), "the repaired list re-read");
        assertThat(stats("ads").lastError()).as("the error is cleared by a good copy").isNull();

        Files.delete(dir.resolve("ads.list"));
        assertThat(watch.scanNow().removed()).containsExactly("ads");
        assertThat(lists.names()).isEmpty();
        assertThat(lists.containsDomain("ads", "fixed.example")).as("a deleted list matches nothing").isFalse();
    }

    @Test
    void aUrlFileThatLosesItsAddressKeepsTheListAndReportsIt() throws Exception {
        Files.writeString(dir.resolve("remote.url"), "# where\nhttp://127.0.0.1:9/list.txt\n");
        assertThat(watch.scanNow().added()).containsExactly("remote");
        Files.writeString(dir.resolve("remote.url"), "# nothing here any more\n");
        BlockLists.Update u = watch.scanNow();
        assertThat(u.removed()).isEmpty();
        assertThat(lists.source("remote").location()).isEqualTo("http://127.0.0.1:9/list.txt");
        assertThat(stats("remote").lastError()).contains("no URL");

        Files.writeString(dir.resolve("remote.url"), "http://127.0.0.1:9/other.txt\n");
        assertThat(watch.scanNow().replaced()).containsExactly("remote");
        assertThat(lists.source("remote").location()).isEqualTo("http://127.0.0.1:9/other.txt");
    }

    @Test
    void hiddenFilesOtherExtensionsAndBadNamesAreNotLists() throws Exception {
        Files.writeString(dir.resolve(".ads.list.tmp"), "a.example\n");
        Files.writeString(dir.resolve("notes.md"), "a.example\n");
        Files.writeString(dir.resolve("-bad.list"), "a.example\n");
        Files.writeString(dir.resolve("b.hosts"), "0.0.0.0 b.example\n");
        Files.writeString(dir.resolve("b.list"), "other.example\n");
        watch.scanNow();
        assertThat(lists.names()).containsExactly("b");
        assertThat(lists.source("b").location()).as("the first file of a name wins").endsWith("b.hosts");
        await(() -> lists.containsDomain("b", "b.example"), "b loaded");
    }

    @Test
    void theTimerFollowsTheDirectoryByItself() throws Exception {
        watch.start();
        Files.writeString(dir.resolve("late.txt"), "late.example\n");
        await(() -> lists.containsDomain("late", "late.example"), "a list added after start, seen by the timer");
        Files.delete(dir.resolve("late.txt"));
        await(() -> !lists.names().contains("late"), "a deleted list dropped by the timer");
    }

    private ListStats stats(String name) {
        return lists.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
