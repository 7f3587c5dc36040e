package io.pcapreplay.protocol;

/** Why the agent refused a handshake (REJECT) or a request (ERROR). */
public enum ErrorCode {
    /** A code this side does not know (sent by a newer peer). */
    UNKNOWN(0),
    /** The HELLO's protocol version is not supported by the agent. */
    BAD_VERSION(1),
    /** The auth token does not match the agent's token file. */
    BAD_TOKEN(2),
    /** A range overlaps a range registered by another replayer. */
    RANGE_OWNED(3),
    /** The replayer would hold more ranges than the agent allows. */
    TOO_MANY_RANGES(4),
    /** UNREGISTER named a range this replayer did not register. */
    NOT_REGISTERED(5),
    /** A frame was malformed; the agent closes the connection. */
    MALFORMED_FRAME(6),
    /** A message arrived that is not allowed in the connection's state. */
    UNEXPECTED_MESSAGE(7),
    /** No HELLO arrived in time. */
    HANDSHAKE_TIMEOUT(8),
    /** No HEARTBEAT (or other message) arrived in time. */
    HEARTBEAT_TIMEOUT(9),
    /** The agent is stopping. */
    SHUTTING_DOWN(10),
    /** The agent already serves as many replayers as it allows. */
    TOO_MANY_REPLAYERS(11),
    /** An unexpected failure inside the agent. */
    INTERNAL(12);

    private static final ErrorCode[] BY_BYTE = new ErrorCode[256];

    static {
        for (ErrorCode code : values()) {
            BY_BYTE[code.value & 0xFF] = code;
        }
    }

    private final byte value;

    ErrorCode(int value) {
        this.value = (byte) value;
    }

    /** @return the code byte on the wire */
    public byte byteValue() {
        return value;
    }

    /**
     * @param value a code byte read from the wire
     * @return the code, or {@link #UNKNOWN} for a code this version does not know
     */
    public static ErrorCode valueOf(byte value) {
        ErrorCode code = BY_BYTE[value & 0xFF];
        return code == null ? UNKNOWN : code;
    }
}
