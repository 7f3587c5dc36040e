package io.pcapreplay.tcp;

/** Session handles without an engine, for the tests of the layers above: opened, then ended by the test. */
public final class SessionHandles {

    private SessionHandles() {
    }

    /** Returns a running session's handle (results queued, no listener). */
    public static SessionHandle open(long id) {
        return new SessionHandle(id, null);
    }

    /** Ends the session as the engine does (server close, reset, stop). */
    public static void finish(SessionHandle handle, String reason) {
        handle.finish(reason);
    }
}
