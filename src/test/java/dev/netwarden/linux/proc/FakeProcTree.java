package dev.netwarden.linux.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a /proc-shaped directory tree in a temp dir: files from fixtures, links written as given. */
final class FakeProcTree {
    private final Path root;

    FakeProcTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    FakeProcTree file(int pid, String name, byte[] content) {
        try {
            Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)));
            Files.write(dir.resolve(name), content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process made of the recorded files {@code <fixture>.stat/.status/.cmdline/.cgroup}. */
    FakeProcTree recorded(int pid, String fixture) {
        for (String f : new String[]{"stat", "status", "cmdline", "cgroup"}) {
            file(pid, f, Fixtures.real(fixture + "." + f));
        }
        return this;
    }

    FakeProcTree link(int pid, String name, String target) {
        try {
            Path link = root.resolve(Integer.toString(pid)).resolve(name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeProcTree socketFd(int pid, int fd, long inode) {
        return link(pid, "fd/" + fd, "socket:[" + inode + "]");
    }
}
