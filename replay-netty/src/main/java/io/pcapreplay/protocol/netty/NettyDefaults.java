package io.pcapreplay.protocol.netty;

/**
 * Netty settings the agent and the replayers run with unless the JVM was given its own; applied before Netty's
 * first class is initialized (Netty reads them once).
 *
 * <p>{@code io.netty.jfr.enabled=false}: Netty 4.2's buffer allocators check their JDK Flight Recorder events on
 * each chunk allocation, and the first check starts the recorder's machinery in a JVM that records nothing: its
 * metadata, event classes rewritten with the JDK's ASM, lambdas spun. On the 2-core benchmark machine that was about
 * one CPU-second at the very start of a test, in the agent and in JMeter alike, with the compiler then busy on ASM
 * instead of the replay path (docs/benchmarks.md). {@code -Dio.netty.jfr.enabled=true} brings the events back for a
 * recording.
 */
public final class NettyDefaults {

    /** Netty's switch for its JDK Flight Recorder events. */
    public static final String JFR_EVENTS = "io.netty.jfr.enabled";

    private NettyDefaults() {
    }

    /** Sets each default the JVM was not given; idempotent. */
    public static void apply() {
        if (System.getProperty(JFR_EVENTS) == null) {
            System.setProperty(JFR_EVENTS, "false");
        }
    }
}
