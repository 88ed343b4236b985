package dev.netwarden.process;

/** One open file descriptor of one process that refers to a socket. */
public record SocketHolder(int pid, int fd) {
}
