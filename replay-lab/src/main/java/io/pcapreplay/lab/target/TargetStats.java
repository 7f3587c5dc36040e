package io.pcapreplay.lab.target;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the embedded target, safe to read from any thread. */
public final class TargetStats {
    private final AtomicLong httpConnections = new AtomicLong();
    private final AtomicLong echoConnections = new AtomicLong();
    private final AtomicLong openConnections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong echoedBytes = new AtomicLong();

    void accepted(boolean http) {
        (http ? httpConnections : echoConnections).incrementAndGet();
        openConnections.incrementAndGet();
    }

    void closed() {
        openConnections.decrementAndGet();
    }

    void request() {
        requests.incrementAndGet();
    }

    void echoed(long bytes) {
        echoedBytes.addAndGet(bytes);
    }

    /** HTTP connections accepted so far. */
    public long httpConnections() {
        return httpConnections.get();
    }

    /** Echo connections accepted so far. */
    public long echoConnections() {
        return echoConnections.get();
    }

    /** Connections open now (HTTP and echo). */
    public long openConnections() {
        return openConnections.get();
    }

    /** HTTP requests answered so far. */
    public long requests() {
        return requests.get();
    }

    /** Bytes echoed so far. */
    public long echoedBytes() {
        return echoedBytes.get();
    }

    @Override
    public String toString() {
        return "http connections " + httpConnections() + ", echo connections " + echoConnections() + ", open "
                + openConnections() + ", requests " + requests() + ", echoed bytes " + echoedBytes();
    }
}
