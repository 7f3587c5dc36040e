package io.pcapreplay.tcp;

/**
 * Holds a session's exchanges back until what they depend on happened (the recorded hand-out's causal order: an
 * exchange that in the capture began after another session's exchange had completed waits for that exchange in the
 * replay), and hears when the session's exchanges finish. One per session; called on the replayer's loop, so an
 * implementation shared by several sessions must be thread-safe and never block. A closed gate is asked again every
 * {@link #POLL_NANOS}; the gate itself bounds how long it stays closed.
 */
public interface ExchangeGate {

    /** How often the replayer asks a closed gate again: 250 us. */
    long POLL_NANOS = 250_000;

    /**
     * Tells whether an exchange may begin now (its think time is over).
     *
     * @param exchangeIndex the exchange, from 0
     * @return true to send its request now; false to ask again after {@link #POLL_NANOS}
     */
    boolean mayBegin(int exchangeIndex);

    /**
     * An exchange finished, whatever its outcome (its result is being published).
     *
     * @param exchangeIndex the exchange, from 0
     */
    void finished(int exchangeIndex);

    /** The session is over: its exchanges that did not finish never will. */
    void sessionEnded();
}
