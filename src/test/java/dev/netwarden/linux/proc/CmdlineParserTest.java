package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static dev.netwarden.linux.proc.Fixtures.real;
import static org.assertj.core.api.Assertions.assertThat;

class CmdlineParserTest {
    @Test
    void splitsRealArgv() {
        assertThat(CmdlineParser.parse(real("init.cmdline"))).startsWith("/process_api", "--firecracker-init", "--addr", "0.0.0.0:2024");
        assertThat(CmdlineParser.parse(real("comm-with-paren.cmdline"))).hasSize(2).endsWith("300");
        assertThat(CmdlineParser.parse(real("comm-with-paren.cmdline")).getFirst()).endsWith("/a b) c");
    }

    @Test
    void kernelThreadHasNoArgv() {
        assertThat(CmdlineParser.parse(real("kthreadd.cmdline"))).isEmpty();
        assertThat(CmdlineParser.parse(new byte[0])).isEmpty();
        assertThat(CmdlineParser.parse(new byte[]{0, 0})).isEmpty();
    }

    @Test
    void rewrittenTitleStaysOneArgumentAndPaddingIsDropped() {
        assertThat(CmdlineParser.parse(ascii("nginx: worker process\0\0\0\0\0\0"))).containsExactly("nginx: worker process");
        assertThat(CmdlineParser.parse(ascii("postgres: checkpointer "))).containsExactly("postgres: checkpointer ");
    }

    @Test
    void emptyArgumentsInTheMiddleAreReal() {
        assertThat(CmdlineParser.parse(ascii("prog\0\0x\0"))).containsExactly("prog", "", "x");
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        assertThat(CmdlineParser.parse(new byte[]{'a', (byte) 0xff, 0, 'b', 0})).containsExactly("a\uFFFD", "b");
    }
}
