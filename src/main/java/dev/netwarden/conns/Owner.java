package dev.netwarden.conns;

import dev.netwarden.process.ProcessInfo;

import java.util.Objects;

/** One process holding a socket, through file descriptor {@code fd}. */
public record Owner(ProcessInfo process, int fd) {
    public Owner {
        Objects.requireNonNull(process, "process is null");
    }
}
