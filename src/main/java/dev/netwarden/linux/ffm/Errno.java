package dev.netwarden.linux.ffm;

/**
 * The errno values netwarden reacts to, and a readable name for any errno. Names are kept in Java
 * (not strerror) so messages are the same everywhere and need no native call.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int ENOBUFS = 105;
    public static final int EOPNOTSUPP = 95;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EAFNOSUPPORT = 97;
    public static final int ECONNREFUSED = 111;

    private static final String[] NAMES = new String[134];

    static {
        set(EPERM, "EPERM", "operation not permitted");
        set(ENOENT, "ENOENT", "no such file or directory");
        set(ESRCH, "ESRCH", "no such process");
        set(EINTR, "EINTR", "interrupted system call");
        set(EBADF, "EBADF", "bad file descriptor");
        set(EAGAIN, "EAGAIN", "resource temporarily unavailable");
        set(ENOMEM, "ENOMEM", "out of memory");
        set(EACCES, "EACCES", "permission denied");
        set(EBUSY, "EBUSY", "device or resource busy");
        set(EEXIST, "EEXIST", "file exists");
        set(ENOTDIR, "ENOTDIR", "not a directory");
        set(EINVAL, "EINVAL", "invalid argument");
        set(EMFILE, "EMFILE", "too many open files");
        set(ENOSPC, "ENOSPC", "no space left on device");
        set(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported");
        set(EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported");
        set(EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported");
        set(ENOBUFS, "ENOBUFS", "no buffer space available");
        set(ECONNREFUSED, "ECONNREFUSED", "connection refused");
    }

    private Errno() {
    }

    private static void set(int errno, String name, String text) {
        NAMES[errno] = name + " (" + text + ")";
    }

    /** "EACCES (permission denied)", or "errno 42" for values without a name here. */
    public static String describe(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }
}
