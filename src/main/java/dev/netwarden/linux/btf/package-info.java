/**
 * BTF, the kernel's description of its own types ({@code /sys/kernel/btf/vmlinux}): a pure parser over
 * bytes that answers the few questions a BPF program needs before it can be loaded (where a member
 * sits in a kernel struct, which type id a function has). Layouts change between kernel builds, so
 * they are read from the running kernel and never hard-coded.
 */
package dev.netwarden.linux.btf;
