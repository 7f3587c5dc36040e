package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.SessionStream;

/**
 * The capture files gave no session to replay. When they hold sessions that only the selection (server ports)
 * left out, the thread group warns and replays nothing, as with 0 users; otherwise it is a set-up failure.
 */
final class NoSessionException extends CaptureException {

    private static final long serialVersionUID = 1L;

    private final boolean selectionExcludedAll;

    private NoSessionException(String message, boolean selectionExcludedAll) {
        super(message);
        this.selectionExcludedAll = selectionExcludedAll;
    }

    /** The exception for a stream that ended without a session: its explanation, and whether the ports did it. */
    static NoSessionException of(SessionStream stream) {
        return new NoSessionException(stream.explainNoSession(), stream.selectionExcludedAll());
    }

    /** Tells whether the files hold sessions with payload that the selected server ports left out. */
    boolean selectionExcludedAll() {
        return selectionExcludedAll;
    }
}
