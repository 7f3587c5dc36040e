package io.pcapreplay.pcap;

/** Turns a connection's counters into the {@link Problem}s of its session. */
final class SessionProblems {

    private SessionProblems() {
    }

    static void add(RecordedSession.Builder builder, CapturedConnection connection, int client) {
        if (!connection.synSeenFrom(client)) {
            builder.problem(new Problem(ProblemKind.NO_SYN, Side.CLIENT, 1, 0,
                "the client's SYN was not captured (the capture started mid-connection); a replay synthesizes "
                    + "the handshake"));
        }
        for (int direction = 0; direction < 2; direction++) {
            Side side = direction == client ? Side.CLIENT : Side.SERVER;
            String stream = side == Side.CLIENT ? "the client's (request)" : "the server's (response)";
            StreamReassembler reassembler = connection.stream(direction);
            if (reassembler.gaps() > 0) {
                builder.problem(new Problem(ProblemKind.GAP, side, reassembler.gaps(), reassembler.gapBytes(),
                    reassembler.gapBytes() + " bytes missing in " + reassembler.gaps() + " hole(s) of " + stream
                        + " stream: segments lost in the capture"));
            }
            if (reassembler.truncatedSegments() > 0) {
                builder.problem(new Problem(ProblemKind.TRUNCATED, side, reassembler.truncatedSegments(),
                    reassembler.truncatedBytes(), reassembler.truncatedBytes() + " bytes of "
                        + reassembler.truncatedSegments() + " frame(s) of " + stream
                        + " stream not captured (snaplen too small), replaced by zeros"
                        + (side == Side.SERVER ? " (the recorded response only gives the length to expect)" : "")
                        + "; capture again with tcpdump -s 0"));
            }
        }
        if (connection.closeKind() == CloseKind.NONE) {
            builder.problem(new Problem(ProblemKind.NO_CLOSE, Side.NONE, 1, 0,
                "neither FIN nor RST captured: the capture ended before the connection did"));
        }
    }
}
