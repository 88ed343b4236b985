package dev.netwarden.linux.btf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.linux.bpf.TaskSocketProgram;

import java.util.NoSuchElementException;

/**
 * Hostile BTF bytes: parsing and every lookup the iterator makes either answer or throw
 * {@link MalformedBtfException} / {@link NoSuchElementException}; never another exception or a hang.
 */
class BtfFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void parseAndLookUp(byte[] input) {
        Btf btf;
        try {
            btf = Btf.parse(input);
        } catch (MalformedBtfException expected) {
            return;
        }
        try {
            TaskSocketProgram.of(btf).instructions();
        } catch (MalformedBtfException | NoSuchElementException expected) {
            // documented
        }
        for (int id = 1; id <= Math.min(btf.typeCount(), 64); id++) {
            try {
                btf.name(id);
                btf.sizeOf(id);
            } catch (MalformedBtfException expected) {
                // documented
            }
        }
    }
}
