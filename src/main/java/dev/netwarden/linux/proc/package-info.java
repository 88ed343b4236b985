/**
 * procfs: who a process is ({@link dev.netwarden.linux.proc.ProcessTable}) and which processes hold
 * which socket ({@link dev.netwarden.linux.proc.SocketHolderIndex}).
 *
 * <p>Each /proc file has a pure parser here ({@code ProcStatParser}, {@code ProcStatusParser},
 * {@code CmdlineParser}, {@code CgroupParser}, {@code ExeLink}, {@code PasswdParser},
 * {@code SocketLink}) that takes bytes and returns a value or throws
 * {@link dev.netwarden.linux.proc.MalformedProcFileException}; the I/O classes only read bytes and
 * call them. The fd scan goes through {@link dev.netwarden.linux.ffm.Libc} (openat, getdents64,
 * readlinkat) because it touches every fd of every process; so does the exe link
 * ({@code ExeLinkReader}), so that its bytes are decoded as UTF-8 whatever the JVM's locale. The
 * proc root is a constructor argument everywhere, so tests point the classes at a fake tree.
 *
 * <p>This package only reads; it never signals, ptraces or writes to a process.
 */
package dev.netwarden.linux.proc;
