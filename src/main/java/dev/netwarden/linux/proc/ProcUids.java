package dev.netwarden.linux.proc;

/**
 * The {@code Uid:} line of {@code /proc/PID/status}. Values are the kernel's unsigned 32-bit ids kept
 * in an int's bits (ids above 2^31 read as negative; show them with {@link Integer#toUnsignedString(int)}).
 *
 * @param real      who started the process
 * @param effective whose permissions it uses: what {@code ps -o user} shows, and (through fsuid, equal to it
 *                  unless the process changed it) the owner the kernel gives the sockets it creates
 */
public record ProcUids(int real, int effective) {
}
