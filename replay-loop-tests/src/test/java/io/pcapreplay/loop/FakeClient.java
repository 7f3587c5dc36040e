package io.pcapreplay.loop;

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
    private final RawIpSocket socket6;
    private final int target;
    private final byte[] target6;

    FakeClient(Lab lab) {
        this.socket = lab.client().call(RawIpSocket::openIpv4);
        this.socket6 = lab.client().call(RawIpSocket::openIpv6);
        this.target = IpAddresses.readInt(lab.target().ipv4To(LabRole.CLIENT).getAddress(), 0);
        this.target6 = lab.target().ipv6To(LabRole.CLIENT).getAddress();
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
        byte[] source = fake.getAddress();
        IpTcpEncoder encoder = new IpTcpEncoder();
        if (source.length == 4) {
            encoder.ipv4(IpAddresses.readInt(source, 0), target);
        } else {
            encoder.ipv6(IpAddresses.readLong(source, 0), IpAddresses.readLong(source, 8),
                    IpAddresses.readLong(target6, 0), IpAddresses.readLong(target6, 8));
        }
        int length = encoder.ports(fakePort, targetPort).sequence(sequence).acknowledgment(acknowledgment)
                .flags(flags).window(65_535).encode(packet, 0, payload, 0, payload.length);
        (source.length == 4 ? socket : socket6).send(packet, 0, length);
    }

    @Override
    public void close() {
        socket.close();
        socket6.close();
    }
}
