package io.pcapreplay.tcp;

/**
 * Holds requests back to a rate: before a session's request (after the first exchange) is sent, the engine asks
 * for a slot at or after the moment its think time ends, and sends it then. Called on the event loop; an
 * implementation shared by several engines or threads must be thread-safe.
 */
@FunctionalInterface
public interface RequestPacer {

    /**
     * Reserves a slot for one request.
     *
     * @param earliestNanos the engine clock's time at which the request could be sent
     * @return when it may be sent: at or after {@code earliestNanos}
     */
    long reserve(long earliestNanos);
}
