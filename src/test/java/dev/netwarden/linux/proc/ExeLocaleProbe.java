package dev.netwarden.linux.proc;

import dev.netwarden.linux.CLocaleJava;
import dev.netwarden.process.ProcessInfo;

/**
 * Run by {@link ExeLinkLocaleLiveTest} in a C-locale JVM: prints {@code jnu=<sun.jnu.encoding>} and
 * {@code exe=<exe of pid args[0]>}, non-ASCII escaped as \\uXXXX.
 */
public final class ExeLocaleProbe {
    private ExeLocaleProbe() {
    }

    public static void main(String[] args) {
        ProcessInfo info = new ProcessTable(ProcessTable.Detail.BASIC).lookup(Integer.parseInt(args[0])).orElseThrow();
        System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
        System.out.println("exe=" + (info.exe() == null ? "null" : CLocaleJava.escape(info.exe())));
    }
}
