package io.pcapreplay.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * The target seen from this host's own address: one ordinary TCP connect (the kernel's TCP), closed at once. For
 * the kernel transport it is the path the replay takes; for raw IP it tells a target that is down from a fake
 * client range that is not routed back.
 */
final class TargetCheck {

    static final String NAME = "target";

    private TargetCheck() {
    }

    /**
     * Connects and closes.
     *
     * @param target the target
     * @param port its port
     * @param local the local address to bind, or null
     * @param timeout how long to wait
     * @param failure the status when it does not connect (FAIL when this is the replay's path, else WARN)
     */
    static CheckResult check(InetAddress target, int port, InetAddress local, Duration timeout,
            CheckStatus failure) {
        String where = target.getHostAddress() + ":" + port;
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            socket.connect(new InetSocketAddress(target, port), (int) Math.max(1, timeout.toMillis()));
            long nanos = System.nanoTime() - start;
            socket.setSoLinger(true, 0);
            return CheckResult.ok(NAME, String.format(Locale.ROOT, "this host (%s) connects to %s in %.1f ms (its "
                + "own address, the kernel's TCP)", socket.getLocalAddress().getHostAddress(), where, nanos / 1e6));
        } catch (ConnectException e) {
            return new CheckResult(NAME, failure, "connection from this host's own address to " + where
                + " refused: nothing listens there, or a firewall rejects", java.util.List.of(
                    "on the target: ss -ltn 'sport = :" + port + "' must list the server"));
        } catch (SocketTimeoutException e) {
            return new CheckResult(NAME, failure, "no answer from " + where + " within " + timeout.toMillis()
                + " ms to this host's own address: the target is down, the address is wrong, or a firewall drops",
                java.util.List.of("ip route get " + target.getHostAddress(), "ping -c 1 " + target.getHostAddress()));
        } catch (NoRouteToHostException e) {
            return new CheckResult(NAME, failure, "no route from this host to " + where + ": " + e.getMessage(),
                java.util.List.of("ip route get " + target.getHostAddress()));
        } catch (IOException | RuntimeException e) {
            return new CheckResult(NAME, failure, "connect from this host to " + where + " failed: " + e,
                java.util.List.of("ip route get " + target.getHostAddress()));
        }
    }
}
