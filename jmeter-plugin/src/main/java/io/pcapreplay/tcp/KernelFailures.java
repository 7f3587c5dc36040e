package io.pcapreplay.tcp;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Turns the kernel's socket errors into outcomes: a refused connect is {@link Outcome#REFUSED}, a reset
 * {@link Outcome#RESET}, an unreachable or silent peer {@link Outcome#TIMEOUT}; a missing local resource (no free
 * ephemeral port: EADDRNOTAVAIL/EADDRINUSE; no file descriptor: EMFILE/ENFILE; no buffers: ENOBUFS/ENOMEM) is
 * {@link Outcome#LOCAL_LIMIT}, a limit of this host, not an answer of the server. The message keeps the kernel's text.
 */
final class KernelFailures {

    /**
     * An outcome with its message.
     *
     * @param outcome the outcome
     * @param message what happened, naming the peer and the kernel's error
     */
    record Failure(Outcome outcome, String message) {
    }

    private KernelFailures() {
    }

    /**
     * Loads the classes of the failure path now: when descriptors run out, loading a class from a directory fails
     * too (it needs one), and the failure must still be reported.
     */
    static void load() {
        Failure failure = new Failure(Outcome.LOCAL_LIMIT, "");
        isLocalLimit(failure);
        ExchangeRules.thinkNanos(null, 0);
        new ExchangeResult(0, 0, -1, -1, -1, -1, 0, 0, ExchangeResult.NO_BYTES, failure.outcome(), "");
    }

    /**
     * Classifies a failure to open, bind or connect a socket.
     *
     * @param target the server
     * @param error the kernel's error as Java reports it
     * @return the outcome and message
     */
    static Failure connecting(InetSocketAddress target, IOException error) {
        String text = text(error);
        Failure local = local(text, error);
        if (local != null) {
            return local;
        }
        String server = describe(target);
        if (error instanceof ConnectException && contains(text, "refused")) {
            return new Failure(Outcome.REFUSED, "connection refused: RST in answer to the SYN from " + server);
        }
        if (error instanceof NoRouteToHostException || contains(text, "unreachable")) {
            return new Failure(Outcome.TIMEOUT, "connect to " + server + " failed: " + text + " (no SYN-ACK)");
        }
        return new Failure(Outcome.TIMEOUT, "connect to " + server + " failed: " + text);
    }

    /**
     * Classifies a failure to read or write an established connection.
     *
     * @param error the kernel's error as Java reports it
     * @return the outcome and message; RESET for a reset (the caller words it), TIMEOUT when the kernel gave up
     */
    static Failure established(IOException error) {
        String text = text(error);
        Failure local = local(text, error);
        if (local != null) {
            return local;
        }
        if (contains(text, "timed out") || contains(text, "unreachable")) {
            return new Failure(Outcome.TIMEOUT, "retransmission timeout: the kernel gave up: " + text);
        }
        return new Failure(Outcome.RESET, text);
    }

    /** Tells whether the failure is a limit of this host (counted apart and warned about once). */
    static boolean isLocalLimit(Failure failure) {
        return failure.outcome() == Outcome.LOCAL_LIMIT;
    }

    private static Failure local(String text, IOException error) {
        if (error instanceof BindException || contains(text, "assign requested address")
                || contains(text, "address already in use")) {
            return new Failure(Outcome.LOCAL_LIMIT, "no free local port (" + text + "): every ephemeral port of "
                + "this host's address is in use or in TIME_WAIT; see net.ipv4.ip_local_port_range, bind more local "
                + "addresses (transport 'kernel ADDRESS ...') or run fewer users");
        }
        if (contains(text, "too many open files")) {
            return new Failure(Outcome.LOCAL_LIMIT, "no file descriptor for a socket (" + text + "): raise the "
                + "open-files limit (ulimit -n, RLIMIT_NOFILE) or run fewer users");
        }
        if (contains(text, "no buffer space") || contains(text, "cannot allocate memory")) {
            return new Failure(Outcome.LOCAL_LIMIT, "no kernel memory for a socket (" + text + ")");
        }
        return null;
    }

    private static String text(IOException error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part);
    }

    /** Returns "address:port" ("[v6]:port" for IPv6). */
    static String describe(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
