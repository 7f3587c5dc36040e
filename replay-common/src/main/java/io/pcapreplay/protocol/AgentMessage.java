package io.pcapreplay.protocol;

/** A message of the agent protocol; each has one frame type (see {@link AgentProtocol} for the frame). */
public sealed interface AgentMessage permits HelloMessage, AcceptMessage, RejectMessage, RegisterMessage,
        UnregisterMessage, AckMessage, HeartbeatMessage, CapturedMessage, StatsMessage, ErrorMessage, HostQueryMessage,
        HostReportMessage {

    /** @return the frame type of this message */
    MessageType type();
}
