package io.pcapreplay.lab;

import java.util.Locale;

/** The three hosts of a lab, as in a tcpburn deployment. */
public enum LabRole {
    /** The replayer: sends raw IP packets from fake client addresses. */
    CLIENT('c', 1),
    /** The server under test. */
    TARGET('t', 2),
    /** The intercept agent's host: captures the target's responses and drops them (no forwarding). */
    ASSISTANT('a', 3);

    private final char letter;
    private final int hostNumber;

    LabRole(char letter, int hostNumber) {
        this.letter = letter;
        this.hostNumber = hostNumber;
    }

    /** The one letter used in interface names. */
    public char letter() {
        return letter;
    }

    /** The last number of the host's address on each of its links (198.19.L.N, 2001:2:0:L::N). */
    public int hostNumber() {
        return hostNumber;
    }

    /** Lower-case name, used in namespace names: client, target, assistant. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
