package io.pcapreplay.protocol;

/**
 * Constants of the agent wire protocol, version 2 (2: HEARTBEAT carries clock probes, STATS the agent's kernel
 * drops): the magic, the version and the hard limits that every encoder and decoder enforces.
 *
 * <p>Every message travels in one frame; all integers are big-endian and unsigned unless said otherwise:
 * <pre>
 * +--------+--------+--------+--------+--------+-----------------------------+
 * |          length (uint32)          |  type  |  body (length - 1 bytes)    |
 * +--------+--------+--------+--------+--------+-----------------------------+
 * </pre>
 * {@code length} counts the type byte and the body, 1 to {@link #MAX_FRAME_LENGTH}. The body layouts are drawn
 * in each message's javadoc. The replayer opens with {@link HelloMessage}; the agent answers {@link AcceptMessage}
 * or {@link RejectMessage} and then closes.
 */
public final class AgentProtocol {

    /** "PRAG": the first four bytes of a HELLO body. */
    public static final int MAGIC = 0x50524147;
    /** The protocol version this code speaks (2: HEARTBEAT carries clock probes, STATS the kernel drops). */
    public static final int VERSION = 2;
    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Largest frame: type byte plus body. */
    public static final int MAX_FRAME_LENGTH = 1 << 20;
    /** Largest auth token, in UTF-8 bytes. */
    public static final int MAX_TOKEN_BYTES = 256;
    /** Largest replayer name or agent version string, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 64;
    /** Largest REJECT/ERROR text, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 1024;
    /** Most ranges in one REGISTER/UNREGISTER. */
    public static final int MAX_RANGES = 1024;
    /** Most packets in one CAPTURED frame. */
    public static final int MAX_PACKETS_PER_BATCH = 1024;
    /** Largest captured IP packet (bytes actually carried). */
    public static final int MAX_PACKET_BYTES = 65_535;
    /** Largest original IP length a packet may announce (GRO super-packets included). */
    public static final int MAX_ORIGINAL_LENGTH = 262_144;
    /** Most name/value pairs in one HOST_REPORT. */
    public static final int MAX_HOST_FACTS = 64;
    /** HELLO payload cap meaning "the whole payload". */
    public static final int WHOLE_PAYLOAD = -1;

    private AgentProtocol() {
    }
}
