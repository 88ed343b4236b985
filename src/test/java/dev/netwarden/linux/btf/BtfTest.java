package dev.netwarden.linux.btf;

import dev.netwarden.linux.bpf.TaskSocketProgram;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BtfTest {
    /** A kernel-like layout: task_struct.tgid inside an anonymous union inside an anonymous struct. */
    private static byte[] sample() {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.intType("unsigned int", 4);              // 1
        int pidT = b.typedef("pid_t", u32);                  // 2
        int u64 = b.intType("long unsigned int", 8);         // 3
        int u16 = b.intType("short unsigned int", 2);        // 4
        int inode = b.struct("inode", 80, false, false,      // 5
                "i_mode", u16, 0, "i_flags", u32, 32, "i_ino", u64, 64 * 8);
        int inodePtr = b.pointer(inode);                     // 6
        int file = b.struct("file", 64, false, false,        // 7
                "f_count", u64, 0, "f_inode", inodePtr, 32 * 8);
        int union = b.struct("", 4, true, false, "tgid", pidT, 0, "alias", u32, 0);   // 8
        int anon = b.struct("", 8, false, false, "pad", u32, 0, "", union, 32);       // 9
        b.struct("task_struct", 2048, false, false, "state", u32, 0, "", anon, 1000 * 8); // 10
        b.struct("bits", 4, false, true, "flag", u32, 1 << 24 | 3);                   // 11
        b.func("bpf_iter_task_file", 0);                                              // 12
        return b.build();
    }

    @Test
    void membersAreFoundDirectlyAndThroughAnonymousStructsAndUnions() {
        Btf btf = Btf.parse(sample());
        assertThat(btf.typeCount()).isEqualTo(12);
        assertThat(btf.member("inode", "i_ino").offset()).isEqualTo(64);
        assertThat(btf.member("file", "f_inode").offset()).isEqualTo(32);
        Btf.Member tgid = btf.member("task_struct", "tgid");
        assertThat(tgid.offset()).isEqualTo(1000 + 4);
        assertThat(btf.sizeOf(tgid.typeId())).as("through the pid_t typedef").isEqualTo(4);
        assertThat(btf.sizeOf(btf.member("file", "f_inode").typeId())).isEqualTo(8);
        assertThat(btf.find(Btf.KIND_FUNC, "bpf_iter_task_file")).isEqualTo(12);
        assertThat(btf.name(10)).isEqualTo("task_struct");
    }

    @Test
    void theTaskSocketProgramTakesItsOffsetsFromTheBtf() {
        TaskSocketProgram p = TaskSocketProgram.of(Btf.parse(sample()));
        assertThat(p).isEqualTo(new TaskSocketProgram(1004, 32, 0, 64, 12));
    }

    @Test
    void missingNamesAndBitfieldsAreClearErrors() {
        Btf btf = Btf.parse(sample());
        assertThatThrownBy(() -> btf.member("task_struct", "nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("task_struct has no member nope");
        assertThatThrownBy(() -> btf.member("nostruct", "x")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> btf.member("bits", "flag")).isInstanceOf(MalformedBtfException.class)
                .hasMessageContaining("bitfield");
    }

    @Test
    void aLayoutWithOtherWidthsIsRefusedRatherThanLoaded() {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.intType("unsigned int", 4);
        int inode = b.struct("inode", 80, false, false, "i_mode", u32, 0, "i_ino", u32, 64 * 8); // i_ino 4 bytes
        b.struct("file", 64, false, false, "f_inode", b.pointer(inode), 0);
        b.struct("task_struct", 64, false, false, "tgid", u32, 0);
        b.func("bpf_iter_task_file", 0);
        assertThatThrownBy(() -> TaskSocketProgram.of(Btf.parse(b.build())))
                .isInstanceOf(MalformedBtfException.class).hasMessageContaining("inode.i_mode is 4 bytes, expected 2");
    }

    @Test
    void malformedHeadersAndSectionsAreRefused() {
        byte[] good = sample();
        assertThatThrownBy(() -> Btf.parse(new byte[10])).isInstanceOf(MalformedBtfException.class);
        byte[] magic = good.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> Btf.parse(magic)).hasMessageContaining("not BTF");
        byte[] big = good.clone();
        big[0] = (byte) 0xEB;
        big[1] = (byte) 0x9F;
        assertThatThrownBy(() -> Btf.parse(big)).hasMessageContaining("big-endian");
        byte[] version = good.clone();
        version[2] = 2;
        assertThatThrownBy(() -> Btf.parse(version)).hasMessageContaining("version");
        byte[] longTypes = good.clone();
        longTypes[12] = (byte) 0xff;
        longTypes[13] = (byte) 0xff;
        assertThatThrownBy(() -> Btf.parse(longTypes)).isInstanceOf(MalformedBtfException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> Btf.parse(Arrays.copyOf(good, good.length - 40))).isInstanceOf(MalformedBtfException.class);
    }

    @Test
    void unknownKindsAndTypesCutShortAreRefused() {
        BtfBuilder b = new BtfBuilder();
        b.rawType(0, 31 << 24, 0);
        assertThatThrownBy(() -> Btf.parse(b.build())).hasMessageContaining("unknown kind 31");
        BtfBuilder c = new BtfBuilder();
        c.rawType(0, Btf.KIND_STRUCT << 24 | 1000, 8); // claims 1000 members, has none
        assertThatThrownBy(() -> Btf.parse(c.build())).hasMessageContaining("runs past the type section");
    }

    @Test
    void cyclesInHostileBtfEndInAnErrorNotAHang() {
        BtfBuilder b = new BtfBuilder();
        b.typedef("loop", 1);                          // 1: typedef of itself
        int self = b.nextId();
        b.struct("nest", 8, false, false, "", self, 0); // 2: anonymous member is itself
        Btf btf = Btf.parse(b.build());
        assertThatThrownBy(() -> btf.resolve(1)).hasMessageContaining("modifier chain");
        assertThatThrownBy(() -> btf.member("nest", "x")).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> btf.sizeOf(99)).hasMessageContaining("out of range");
    }

    @Test
    void theRunningKernelsBtfHasWhatTheIteratorNeeds() throws Exception {
        assumeTrue(Files.isReadable(Btf.VMLINUX), "the kernel exposes no BTF at " + Btf.VMLINUX);
        int[] counts = Btf.withVmlinux(btf -> {
            TaskSocketProgram p = TaskSocketProgram.of(btf);
            assertThat(p.inodeMode()).as("i_mode opens struct inode").isZero();
            assertThat(p.taskTgid()).isPositive();
            assertThat(btf.name(p.attachBtfId())).isEqualTo("bpf_iter_task_file");
            assertThat(btf.find(Btf.KIND_STRUCT, "inode")).as("asked twice, same answer").isEqualTo(btf.find(Btf.KIND_STRUCT, "inode"));
            return new int[] {btf.typeCount()};
        });
        assertThat(counts[0]).isGreaterThan(10_000);
        assertThat(Btf.parse(Files.readAllBytes(Btf.VMLINUX)).typeCount()).as("same as read through Files").isEqualTo(counts[0]);
    }
}
