package dev.netwarden.linux.ffm;

import java.io.IOException;

/** A failed system call, with the errno the kernel returned and the call that failed. */
public class ErrnoException extends IOException {
    private final int errno;
    private final String call;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String call() {
        return call;
    }
}
