/**
 * The Linux kernel boundary. Sub-packages talk to the kernel through the Foreign Function &amp; Memory
 * API ({@code ffm}), netlink ({@code netlink}, {@code sockdiag}) and procfs ({@code proc}); each keeps
 * its byte-level parsing in pure functions beside the I/O so it can be tested and fuzzed without root;
 * {@code bpf} holds the classic BPF socket filter record the filtering sockets share.
 * Code outside {@code linux} sees only the records of {@code dev.netwarden.socket} and
 * {@code dev.netwarden.process}.
 */
package dev.netwarden.linux;
