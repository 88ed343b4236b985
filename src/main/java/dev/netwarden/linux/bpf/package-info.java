/**
 * Classic BPF socket filters ({@code SO_ATTACH_FILTER}): the instruction record, the opcodes
 * netwarden's filters use, and the {@code struct sock_fprog} the kernel takes. The programs
 * themselves live beside the sockets they filter ({@code linux.connector.ProcEventFilter},
 * {@code dns.DnsAnswerFilter}); this package only checks their shape and lays them out in memory.
 * No system calls here.
 */
package dev.netwarden.linux.bpf;
