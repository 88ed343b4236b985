package dev.netwarden.linux.bpf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The {@link TaskSocketProgram} offsets of this boot, kept in a small file so that a short command
 * (`netwarden conns`) need not parse the kernel's 5 MB of BTF each run: ~50 ms on a cold JVM, more
 * than the whole socket scan of a small machine.
 *
 * <p>Why keyed by boot id: a kernel's struct layout can only change with a new kernel, which needs a
 * reboot, which changes {@code /proc/sys/kernel/random/boot_id}. And the file lives in /run, a tmpfs
 * emptied at every boot. A stale or tampered entry cannot make a wrong attribution: the iterator's
 * self-test (a socket of its own, found with the right pid, fd and inode) rejects it, and the caller
 * then reads the BTF again and rewrites the entry.
 *
 * <p>Format, one line: {@code <boot id> <tgid> <f_inode> <i_mode> <i_ino> <attach btf id>}.
 */
final class TaskSocketProgramCache {
    static final Path DEFAULT = Path.of("/run/netwarden/task-socket-program");
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private final Path file;
    private final Path bootIdFile;

    TaskSocketProgramCache(Path file, Path bootIdFile) {
        this.file = file;
        this.bootIdFile = bootIdFile;
    }

    static TaskSocketProgramCache system() {
        return new TaskSocketProgramCache(DEFAULT, BOOT_ID);
    }

    /** The entry written in this boot, if there is a readable one. */
    Optional<TaskSocketProgram> read() {
        try {
            String bootId = bootId();
            String[] f = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            if (f.length != 6 || !f[0].equals(bootId)) {
                return Optional.empty();
            }
            return Optional.of(new TaskSocketProgram(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5])));
        } catch (IOException | RuntimeException e) { // absent, unreadable or garbled: read the BTF instead
            return Optional.empty();
        }
    }

    /** Writes the entry (atomically: a reader sees the old file or the new one); failures are ignored. */
    void write(TaskSocketProgram p) {
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, bootId() + " " + p.taskTgid() + " " + p.fileInode() + " " + p.inodeMode() + " "
                    + p.inodeIno() + " " + p.attachBtfId() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // only a cache
            }
        }
    }

    /** Removes the entry (it failed the self-test). */
    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // only a cache
        }
    }

    private String bootId() throws IOException {
        String id = Files.readString(bootIdFile, StandardCharsets.US_ASCII).strip();
        if (id.isEmpty() || id.contains(" ")) {
            throw new NoSuchFileException(bootIdFile.toString(), null, "no boot id");
        }
        return id;
    }
}
