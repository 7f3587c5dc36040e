package io.pcapreplay.net;

import java.io.IOException;

/**
 * The pre-flight check of the sending permission: a raw IP socket ({@code raw-ip}) or a packet socket on the
 * interface ({@code datalink}) needs root or CAP_NET_RAW; the kernel transport needs neither.
 */
final class RawSocketCheck {

    static final String NAME = "raw socket";
    static final String SETCAP = "setcap cap_net_raw+ep $(readlink -f $(which java))";

    private RawSocketCheck() {
    }

    /** Opens what the transport sends through and closes it again. */
    static CheckResult check(TransportSpec transport) {
        Privileges privileges = Privileges.current();
        if (transport.kernel()) {
            return CheckResult.ok(NAME, "not needed: transport kernel replays over ordinary sockets (running as "
                + privileges.describe() + ")");
        }
        try {
            if (transport.datalink()) {
                DatalinkSender.open(transport.interfaceName(), transport.sourceMac(), transport.nextHopMac()).close();
            } else {
                RawIpSocket.openIpv4().close();
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return failure(transport, privileges, e.getMessage());
        }
        return opened(transport, privileges);
    }

    /** The result when the transport opened (at test start the runtime opened it). */
    static CheckResult opened(TransportSpec transport, Privileges privileges) {
        return CheckResult.ok(NAME, (transport.datalink()
            ? "socket(AF_PACKET, SOCK_RAW, 0) sends frames on " + transport.interfaceName()
            : "socket(AF_INET, SOCK_RAW, IPPROTO_RAW) opens") + " (running as " + privileges.describe() + ")");
    }

    static CheckResult failure(TransportSpec transport, Privileges privileges, String error) {
        if (privileges.mayUseRawSockets() || privileges.uid() < 0) {
            return CheckResult.fail(NAME, error + " (running as " + privileges.describe() + ")",
                transport.datalink() ? "check the interface: ip -br link show " + transport.interfaceName()
                    : "check that this kernel has raw sockets (a container may drop them: docker run --cap-add "
                    + "NET_RAW)");
        }
        return CheckResult.fail(NAME, "permission denied: running as " + privileges.describe() + " (expected: root "
                + "or CAP_NET_RAW, for the " + transport + " transport)",
            privileges.uid() == 0 ? "give this process CAP_NET_RAW (a container: docker run --cap-add NET_RAW)"
                : "run JMeter (and this check) as root",
            "or give Java the capability once: sudo " + SETCAP,
            "or, without either, use transport kernel (no raw packets, no agent)");
    }
}
