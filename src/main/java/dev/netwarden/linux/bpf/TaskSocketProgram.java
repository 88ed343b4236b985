package dev.netwarden.linux.bpf;

import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.btf.MalformedBtfException;

import static dev.netwarden.linux.bpf.EbpfAssembler.R0;
import static dev.netwarden.linux.bpf.EbpfAssembler.R1;
import static dev.netwarden.linux.bpf.EbpfAssembler.R10;
import static dev.netwarden.linux.bpf.EbpfAssembler.R2;
import static dev.netwarden.linux.bpf.EbpfAssembler.R3;
import static dev.netwarden.linux.bpf.EbpfAssembler.R4;
import static dev.netwarden.linux.bpf.EbpfAssembler.R5;
import static dev.netwarden.linux.bpf.EbpfAssembler.R6;
import static dev.netwarden.linux.bpf.EbpfAssembler.R7;
import static dev.netwarden.linux.bpf.EbpfAssembler.R8;
import static dev.netwarden.linux.bpf.EbpfAssembler.Size.DOUBLE;
import static dev.netwarden.linux.bpf.EbpfAssembler.Size.WORD;

/**
 * The BPF {@code iter/task_file} program behind {@link TaskSocketIterator}: the kernel calls it once per
 * open file of every process (threads sharing their leader's fd table are skipped by the kernel), and
 * it writes a {@link TaskSocketRecords} record for each file whose inode is a socket. It replaces one
 * {@code readlinkat("/proc/PID/fd/N")} per fd, which costs a path walk and a procfs dentry each.
 *
 * <p>What it reads: {@code ctx->task->tgid}, {@code ctx->fd}, {@code ctx->file->f_inode->i_mode} and
 * {@code ->i_ino}. The kernel structs' member offsets differ between builds, so they come from the
 * running kernel's BTF ({@link #of(Btf)}); the verifier turns each load through a BTF pointer into a
 * fault-safe read. The context ({@code struct bpf_iter__task_file}) is stable kernel ABI.
 *
 * @param taskTgid  offset of {@code task_struct.tgid} (4 bytes)
 * @param fileInode offset of {@code file.f_inode} (a pointer)
 * @param inodeMode offset of {@code inode.i_mode} (2 bytes)
 * @param inodeIno  offset of {@code inode.i_ino} (8 bytes)
 * @param attachBtfId the BTF id of the function {@code bpf_iter_task_file}, which names the iterator target
 */
public record TaskSocketProgram(int taskTgid, int fileInode, int inodeMode, int inodeIno, int attachBtfId) {
    /** {@code struct bpf_iter__task_file}: meta, task, fd (u32), file; each slot 8 bytes. */
    static final int CTX_META = 0;
    static final int CTX_TASK = 8;
    static final int CTX_FD = 16;
    static final int CTX_FILE = 24;
    /** {@code struct bpf_iter_meta}: the seq_file pointer first. */
    static final int META_SEQ = 0;
    /** BPF_FUNC_seq_write (include/uapi/linux/bpf.h). */
    static final int HELPER_SEQ_WRITE = 127;
    static final int S_IFMT = 0xF000;
    static final int S_IFSOCK = 0xC000;

    /** The offsets from a kernel's BTF; refuses a layout whose member widths are not the expected ones. */
    public static TaskSocketProgram of(Btf btf) {
        Btf.Member tgid = btf.member("task_struct", "tgid");
        Btf.Member inode = btf.member("file", "f_inode");
        Btf.Member mode = btf.member("inode", "i_mode");
        Btf.Member ino = btf.member("inode", "i_ino");
        expectSize(btf, "task_struct.tgid", tgid, 4);
        expectSize(btf, "file.f_inode", inode, 8);
        expectSize(btf, "inode.i_mode", mode, 2);
        expectSize(btf, "inode.i_ino", ino, 8);
        if (btf.kind(btf.resolve(inode.typeId())) != Btf.KIND_PTR) {
            throw new MalformedBtfException("file.f_inode is not a pointer");
        }
        for (Btf.Member m : new Btf.Member[] {tgid, inode, mode, ino}) {
            if (m.offset() > Short.MAX_VALUE) { // an eBPF load's offset is a signed 16-bit field
                throw new MalformedBtfException("member offset " + m.offset() + " does not fit an eBPF load");
            }
        }
        int target = btf.find(Btf.KIND_FUNC, "bpf_iter_task_file");
        return new TaskSocketProgram(tgid.offset(), inode.offset(), mode.offset(), ino.offset(), target);
    }

    private static void expectSize(Btf btf, String what, Btf.Member member, int bytes) {
        int size = btf.sizeOf(member.typeId());
        if (size != bytes) {
            throw new MalformedBtfException(what + " is " + size + " bytes, expected " + bytes);
        }
    }

    /** The instructions. The record is built on the stack at r10-16: tgid, fd, inode. */
    public long[] instructions() {
        return new EbpfAssembler()
                .mov(R6, R1)                                      // r6 = ctx
                .load(DOUBLE, R7, R6, CTX_TASK)                   // r7 = ctx->task
                .jumpIfEqual(R7, 0, "done")                       // the final call has no task
                .load(DOUBLE, R8, R6, CTX_FILE)                   // r8 = ctx->file
                .jumpIfEqual(R8, 0, "done")
                .load(DOUBLE, R2, R8, fileInode)                  // r2 = file->f_inode
                .jumpIfEqual(R2, 0, "done")
                .load(EbpfAssembler.Size.HALF, R3, R2, inodeMode) // r3 = inode->i_mode
                .andImm(R3, S_IFMT)
                .jumpIfNotEqual(R3, S_IFSOCK, "done")             // sockets only
                .load(DOUBLE, R4, R2, inodeIno)
                .store(DOUBLE, R10, -8, R4)                       // record.inode
                .load(WORD, R5, R7, taskTgid)
                .store(WORD, R10, -16, R5)                        // record.pid
                .load(WORD, R5, R6, CTX_FD)
                .store(WORD, R10, -12, R5)                        // record.fd
                .load(DOUBLE, R1, R6, CTX_META)
                .load(DOUBLE, R1, R1, META_SEQ)                   // r1 = ctx->meta->seq
                .mov(R2, R10)
                .addImm(R2, -TaskSocketRecords.RECORD_BYTES)      // r2 = &record
                .movImm(R3, TaskSocketRecords.RECORD_BYTES)
                .call(HELPER_SEQ_WRITE)                           // a full buffer makes the kernel call again
                .label("done")
                .movImm(R0, 0)
                .exit()
                .build();
    }
}
