package io.pcapreplay.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The few libc calls the lab needs: setns(2) to enter a network namespace, kill(2) and geteuid(2). */
final class Libc {
    /** Flag of setns(2) for a network namespace. */
    static final int CLONE_NEWNET = 0x40000000;
    static final int SIGINT = 2;
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    private static final int ESRCH = 3;

    static {
        Native.register(Libc.class, Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int kill(int pid, int signal) throws LastErrorException;

    static native int geteuid();

    /**
     * Sends a signal to a process.
     *
     * @return false when the process does not exist any more
     */
    static boolean signal(long pid, int signal) {
        try {
            kill((int) pid, signal);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                return false;
            }
            throw new LabException("kill(" + pid + ", " + signal + "): errno " + e.getErrorCode()
                    + " (expected: success; the lab runs as root)", e);
        }
    }
}
