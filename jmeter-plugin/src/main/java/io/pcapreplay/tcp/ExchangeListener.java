package io.pcapreplay.tcp;

/**
 * Receives results on the engine's event loop ("engine-driven users"): it must return quickly and never block.
 * Exceptions it throws are counted and otherwise ignored.
 */
@FunctionalInterface
public interface ExchangeListener {

    /**
     * Called once per finished exchange.
     *
     * @param result the result
     */
    void onResult(ExchangeResult result);

    /**
     * Called once when the session is over (closed, failed, or the engine stopped).
     *
     * @param sessionId the session
     * @param reason why it ended, e.g. "closed by the client as recorded"
     */
    default void onSessionEnd(long sessionId, String reason) {
    }
}
