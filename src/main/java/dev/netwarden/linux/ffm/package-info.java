/**
 * The only place that declares downcalls into the C library. Everything else in {@code linux} calls
 * {@link dev.netwarden.linux.ffm.Libc}, so the set of native functions netwarden uses is visible in one file.
 */
package dev.netwarden.linux.ffm;
