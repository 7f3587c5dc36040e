package io.pcapreplay.protocol;

/** The type byte of a frame, and the direction the message travels. */
public enum MessageType {
    /** Replayer to agent: opens the connection. */
    HELLO(0x01),
    /** Agent to replayer: handshake accepted. */
    ACCEPT(0x02),
    /** Agent to replayer: handshake refused; the agent closes the connection. */
    REJECT(0x03),
    /** Replayer to agent: claim client address ranges. */
    REGISTER(0x10),
    /** Replayer to agent: release client address ranges. */
    UNREGISTER(0x11),
    /** Agent to replayer: a REGISTER or UNREGISTER succeeded. */
    ACK(0x12),
    /** Both directions: liveness. */
    HEARTBEAT(0x13),
    /** Replayer to agent: report your host's settings (pre-flight check). */
    HOST_QUERY(0x14),
    /** Agent to replayer: a batch of captured packets. */
    CAPTURED(0x20),
    /** Agent to replayer: counters. */
    STATS(0x21),
    /** Agent to replayer: a request failed (the connection stays open). */
    ERROR(0x22),
    /** Agent to replayer: the answer to HOST_QUERY. */
    HOST_REPORT(0x23);

    private static final MessageType[] BY_BYTE = new MessageType[256];

    static {
        for (MessageType type : values()) {
            BY_BYTE[type.value & 0xFF] = type;
        }
    }

    private final byte value;

    MessageType(int value) {
        this.value = (byte) value;
    }

    /** @return the type byte on the wire */
    public byte byteValue() {
        return value;
    }

    /**
     * @param value a type byte read from the wire
     * @return the type
     * @throws AgentProtocolException when the byte names no type
     */
    public static MessageType valueOf(byte value) {
        MessageType type = BY_BYTE[value & 0xFF];
        if (type == null) {
            throw new AgentProtocolException(String.format(
                    "message type: 0x%02x (expected: one of %s)", value & 0xFF, java.util.Arrays.toString(values())));
        }
        return type;
    }
}
