package dev.netwarden.monitor;

import dev.netwarden.flow.Attribution;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.process.ProcessDirectory;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SocketOwners} over a /proc-shaped temp tree (pid/fd/N → socket:[inode]): how it finds a new
 * socket's process with and without process events, and that skipping the /proc listing while it
 * follows events never costs a right answer.
 */
class SocketOwnersFakeTreeTest {
    @TempDir
    Path proc;

    /** Every pid with a directory is a live process named p&lt;pid&gt;. */
    private final ProcessDirectory processes = pid -> Files.isDirectory(proc.resolve(Integer.toString(pid)))
            ? Optional.of(new ProcessSnapshot(new ProcessInfo(pid, 1, 0, "root", "p" + pid, "/bin/p" + pid, false,
                    List.of(), 1, null, null), null, "not hashed in tests", List.of()))
            : Optional.empty();

    private void socketFd(int pid, int fd, long inode) throws IOException {
        Path link = proc.resolve(pid + "/fd/" + fd);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("socket:[" + inode + "]"));
    }

    private SocketOwners owners() {
        // A full rescan is rate-limited to once an hour: only a path that must decide may force one.
        return new SocketOwners(new SocketHolderIndex(proc, null, 1), processes, 3_600_000_000_000L, System::nanoTime);
    }

    private static int pidOf(Attribution a) {
        assertThat(a).isNotNull();
        assertThat(a.process()).as("attributed: %s", a.unknownReason()).isNotNull();
        return a.process().info().pid();
    }

    @Test
    void followingEventsFindsAForkedProcessWithoutListingProc() throws IOException {
        socketFd(100, 3, 5001);
        SocketOwners owners = owners();
        owners.followProcessEvents();
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5001, true))).isEqualTo(100); // first miss: the full scan
        long fullScans = owners.stats().fullRescans();
        long listings = owners.stats().procListings();

        socketFd(200, 4, 5002);
        owners.onFork(100, 200);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5002, true))).isEqualTo(200);
        assertThat(owners.stats().fullRescans()).isEqualTo(fullScans);
        assertThat(owners.stats().procListings()).as("no /proc listing: the fork event named the pid").isEqualTo(listings);
    }

    @Test
    void aProcessWhoseEventHasNotArrivedIsStillFoundByOneListing() throws IOException {
        socketFd(100, 3, 5001);
        SocketOwners owners = owners();
        owners.followProcessEvents();
        owners.beginRound();
        owners.resolve(5001, true);
        long fullScans = owners.stats().fullRescans();
        long listings = owners.stats().procListings();

        socketFd(300, 5, 5003); // no event for 300 (yet)
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5003, false))).isEqualTo(300);
        assertThat(owners.stats().procListings()).isEqualTo(listings + 1);
        assertThat(owners.stats().fullRescans()).isEqualTo(fullScans);
    }

    @Test
    void afterLostEventsEveryHotRescanListsProcUntilTheNextFullScan() throws IOException {
        socketFd(100, 3, 5001);
        SocketOwners owners = owners();
        owners.followProcessEvents();
        owners.beginRound();
        owners.resolve(5001, true);
        owners.onOverrun();
        long listings = owners.stats().procListings();

        socketFd(400, 6, 5004);
        owners.onFork(100, 400);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5004, true))).isEqualTo(400);
        assertThat(owners.stats().procListings()).as("events were lost: the hot rescan lists /proc").isEqualTo(listings + 1);

        socketFd(401, 6, 5006);
        owners.onFork(100, 401);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5006, true))).isEqualTo(401);
        assertThat(owners.stats().procListings()).as("that listing made the index whole again").isEqualTo(listings + 1);
    }

    @Test
    void withoutEventsEveryHotRescanListsProc() throws IOException {
        socketFd(100, 3, 5001);
        SocketOwners owners = owners();
        owners.beginRound();
        owners.resolve(5001, true);
        long listings = owners.stats().procListings();
        socketFd(500, 7, 5005);
        owners.beginRound();
        assertThat(pidOf(owners.resolve(5005, false))).isEqualTo(500);
        assertThat(owners.stats().procListings()).isEqualTo(listings + 1);
    }

    @Test
    void aSocketNoProcessHoldsIsUnknownNeverAnotherProcess() throws IOException {
        socketFd(100, 3, 5001);
        SocketOwners owners = owners();
        owners.followProcessEvents();
        owners.beginRound();
        owners.resolve(5001, true);
        owners.beginRound();
        Attribution a = owners.resolve(9999, true);
        assertThat(a.process()).isNull();
        assertThat(a.unknownReason()).isEqualTo(SocketOwners.REASON_NO_HOLDER);
    }
}
