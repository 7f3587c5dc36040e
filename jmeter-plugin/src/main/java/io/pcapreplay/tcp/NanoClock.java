package io.pcapreplay.tcp;

/** The engine's time source in nanoseconds; tests inject a manual one instead of sleeping. */
@FunctionalInterface
public interface NanoClock {

    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** Returns the current time: nanoseconds from an arbitrary origin, monotonic. */
    long nanoTime();
}
