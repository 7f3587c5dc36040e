package io.pcapreplay.net;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens the engine's packet transports: the raw IP socket, or datalink frames through libpcap. */
final class PacketTransports {

    private PacketTransports() {
    }

    /**
     * Opens datalink sending on the spec's interface.
     *
     * @param spec the datalink transport
     * @return the open transport
     * @throws ReplayRuntimeException when libpcap cannot open the interface
     */
    static ReplayRuntime.Transport datalink(TransportSpec spec) throws ReplayRuntimeException {
        DatalinkSender sender;
        try {
            sender = DatalinkSender.open(spec.interfaceName(), spec.sourceMac(), spec.nextHopMac());
        } catch (IOException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        return new ReplayRuntime.Transport() {
            @Override
            public synchronized void send(byte[] packet, int offset, int length) {
                // one frame buffer: the engine's loop and the pre-flight probe may send at the same time
                sender.send(packet, offset, length);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
    }

    /**
     * Opens a raw IPv4 socket.
     *
     * @return the open transport
     * @throws ReplayRuntimeException without root or CAP_NET_RAW
     */
    static ReplayRuntime.Transport rawSocket() throws ReplayRuntimeException {
        RawIpSocket socket;
        try {
            socket = RawIpSocket.openIpv4();
        } catch (RawSocketException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        return new ReplayRuntime.Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                try {
                    socket.send(packet, offset, length);
                } catch (RawSocketException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
