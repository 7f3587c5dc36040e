package io.pcapreplay.agent;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.net.RawIpSocket;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Sends hand-made TCP segments from fake client addresses (198.18.x.y) to the lab target, from the client host. */
final class FakeClient implements AutoCloseable {

    private final RawIpSocket socket;
    private final int target;

    FakeClient(Lab lab) {
        this.socket = lab.client().call(RawIpSocket::openIpv4);
        this.target = IpAddresses.readInt(lab.target().ipv4To(LabRole.CLIENT).getAddress(), 0);
    }

    void syn(InetAddress fake, int fakePort, int targetPort, int sequence) throws Exception {
        send(fake, fakePort, targetPort, sequence, 0, TcpHeader.SYN, new byte[0]);
    }

    void data(InetAddress fake, int fakePort, int targetPort, int sequence, int acknowledgment, String payload)
            throws Exception {
        send(fake, fakePort, targetPort, sequence, acknowledgment, TcpHeader.ACK | TcpHeader.PSH,
                payload.getBytes(StandardCharsets.US_ASCII));
    }

    void reset(InetAddress fake, int fakePort, int targetPort, int sequence) throws Exception {
        send(fake, fakePort, targetPort, sequence, 0, TcpHeader.RST, new byte[0]);
    }

    private void send(InetAddress fake, int fakePort, int targetPort, int sequence, int acknowledgment, int flags,
            byte[] payload) throws Exception {
        byte[] packet = new byte[120 + payload.length];
        int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0), target)
                .ports(fakePort, targetPort).sequence(sequence).acknowledgment(acknowledgment).flags(flags)
                .window(65_535).encode(packet, 0, payload, 0, payload.length);
        socket.send(packet, 0, length);
    }

    @Override
    public void close() {
        socket.close();
    }
}
