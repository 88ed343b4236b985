/**
 * What a process runs, as bytes: {@link dev.netwarden.executable.ExecutableHasher} computes the
 * sha256 of the file behind {@code /proc/PID/exe} (a deleted or replaced binary included) once per
 * file version ({@link dev.netwarden.executable.FileIdentity}).
 *
 * <p>Only reads: it opens executables read-only through /proc and never writes, signals or traces
 * a process. It knows nothing of processes beyond their pid; who ran what is {@code monitor}'s job.
 */
package dev.netwarden.executable;
