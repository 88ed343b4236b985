package dev.netwarden.linux.ffm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The numbers {@link Libc} calls by, checked against the kernel's own headers (Debian's
 * linux-libc-dev, which bin/test installs): a wrong number would be a different system call.
 */
class SyscallNumbersTest {
    private static final Path X86_64_HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    private static final Path GENERIC_HEADER = Path.of("/usr/include/asm-generic/unistd.h");

    @Test
    void x86TableIsTheKernelsUnistd64() throws IOException {
        assumeTrue(Files.isRegularFile(X86_64_HEADER), "needs " + X86_64_HEADER + " (Debian package linux-libc-dev)");
        assertMatches(SyscallNumbers.X86_64, defines(X86_64_HEADER));
    }

    @Test
    void genericTableIsTheKernelsAsmGenericUnistd() throws IOException {
        assumeTrue(Files.isRegularFile(GENERIC_HEADER), "needs " + GENERIC_HEADER + " (Debian package linux-libc-dev)");
        assertMatches(SyscallNumbers.GENERIC, defines(GENERIC_HEADER));
    }

    @Test
    void architecturesMapToTheirTables() {
        assertThat(SyscallNumbers.forArch("amd64")).isSameAs(SyscallNumbers.X86_64);
        assertThat(SyscallNumbers.forArch("aarch64")).isSameAs(SyscallNumbers.GENERIC);
        assertThat(SyscallNumbers.forArch("riscv64")).isSameAs(SyscallNumbers.GENERIC);
        assertThat(SyscallNumbers.forArch("s390x")).isSameAs(SyscallNumbers.UNKNOWN);
        assertThat(SyscallNumbers.forArch(null)).isSameAs(SyscallNumbers.UNKNOWN);
    }

    private static void assertMatches(SyscallNumbers table, Map<String, Integer> header) throws IOException {
        for (RecordComponent c : SyscallNumbers.class.getRecordComponents()) {
            int ours;
            try {
                ours = (int) c.getAccessor().invoke(table);
            } catch (ReflectiveOperationException e) {
                throw new IOException(e);
            }
            assertThat(header).as("the header defines __NR_%s", c.getName()).containsKey(c.getName());
            assertThat(ours).as("__NR_%s", c.getName()).isEqualTo(header.get(c.getName()));
        }
    }

    /** {@code #define __NR_name N} lines (and the generic header's {@code __NR3264_name}). */
    private static Map<String, Integer> defines(Path header) throws IOException {
        Pattern define = Pattern.compile("^#define __NR(?:3264)?_(\\w+)\\s+(\\d+)\\s*$");
        Map<String, Integer> out = new HashMap<>();
        for (String line : Files.readAllLines(header)) {
            Matcher m = define.matcher(line);
            if (m.matches()) {
                out.putIfAbsent(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }
}
