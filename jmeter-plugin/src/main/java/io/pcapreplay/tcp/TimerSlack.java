package io.pcapreplay.tcp;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Asks Linux for a 1 µs timer slack on the calling thread ({@code prctl(PR_SET_TIMERSLACK)}): by default a timed
 * park may wake up to 50 µs late so that the kernel can batch wake-ups, which would blur the engine's think times.
 * Best effort: elsewhere, or without the C library through JNA, nothing changes.
 */
final class TimerSlack {

    private static final int PR_SET_TIMERSLACK = 29;
    private static final long SLACK_NANOS = 1_000;
    private static final boolean AVAILABLE = register();

    private TimerSlack() {
    }

    private static boolean register() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(TimerSlack.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static native int prctl(int option, long second, long third, long fourth, long fifth);

    /** Lowers the calling thread's timer slack; returns whether it was lowered. */
    static boolean minimize() {
        if (!AVAILABLE) {
            return false;
        }
        try {
            return prctl(PR_SET_TIMERSLACK, SLACK_NANOS, 0, 0, 0) == 0;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
