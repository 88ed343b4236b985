package dev.netwarden.linux.proc;

/**
 * Run by {@link ProcLiveTest} as user nobody: scans /proc and prints
 * {@code unreadable=N processes=M holdersOf<inode>=K} so the test can check what a non-root scan sees.
 */
public final class UnreadableScanMain {
    private UnreadableScanMain() {
    }

    public static void main(String[] args) {
        long inode = Long.parseLong(args[0]);
        SocketHolderIndex index = new SocketHolderIndex();
        index.refresh();
        System.out.println("unreadable=" + index.unreadableProcesses() + " processes=" + index.processCount()
                + " holders=" + index.holders(inode).size()
                + " euid=" + dev.netwarden.linux.ffm.Libc.geteuid());
    }
}
