package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.PacketSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The probe against a scripted target: what it sends, what it makes of each answer. */
@Timeout(10)
class SynProbeTest {

    private static final int TARGET_SEQUENCE = 0x5000_0000;

    @TempDir
    Path directory;

    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final List<CapturedPacket> forReplay = new ArrayList<>();
    private final ProbeTap tap = new ProbeTap(forReplay::addAll);

    @Test
    void shouldResetAfterTheSynAckWithoutCompletingTheHandshakeWhenNothingTracksIt() throws Exception {
        SynProbe.Result result = new SynProbe(target(TcpHeader.SYN | TcpHeader.ACK), tap, null)
            .run(client(), 700, server(), 80, 1460, Duration.ofSeconds(2));

        assertThat(result.answer()).isEqualTo(SynProbe.Answer.SYN_ACK);
        assertThat(result.targetMss()).isEqualTo(1400);
        assertThat(result.roundTripNanos()).isPositive();
        assertThat(flags()).containsExactly(TcpHeader.SYN, TcpHeader.RST);
        IpTcpView syn = view(sent.get(0));
        assertThat(syn.options().mss()).isEqualTo(1460);
        assertThat(view(sent.get(1)).sequence()).isEqualTo(syn.sequence() + 1);
        assertThat(forReplay).as("the replay got the unrelated packet only").hasSize(1);
    }

    @Test
    void shouldCompleteTheHandshakeFirstWhenConntrackTracksTheProbe() throws Exception {
        Path netfilter = Files.createDirectories(directory.resolve("netfilter"));
        Files.writeString(netfilter.resolve("nf_conntrack_count"), "1\n");
        Path table = directory.resolve("nf_conntrack");
        Files.writeString(table, "ipv4 2 tcp 6 119 SYN_SENT src=198.18.1.7 dst=10.0.0.5 sport=700 dport=80 "
            + "[UNREPLIED]\n");

        SynProbe.Result result = new SynProbe(target(TcpHeader.SYN | TcpHeader.ACK), tap,
            new Conntrack(netfilter, table)).run(client(), 700, server(), 80, 1460, Duration.ofSeconds(2));

        assertThat(result.tracked()).isTrue();
        assertThat(flags()).containsExactly(TcpHeader.SYN, TcpHeader.ACK, TcpHeader.RST);
        IpTcpView ack = view(sent.get(1));
        assertThat(ack.acknowledgment()).isEqualTo(TARGET_SEQUENCE + 1);
        assertThat(ack.sequence()).isEqualTo(view(sent.get(0)).sequence() + 1);
        assertThat(result.ackFailure()).isNull();
    }

    @Test
    void shouldReportResetWhenNothingListens() throws Exception {
        SynProbe.Result result = new SynProbe(target(TcpHeader.RST | TcpHeader.ACK), tap, null)
            .run(client(), 700, server(), 80, 1460, Duration.ofSeconds(2));

        assertThat(result.answer()).isEqualTo(SynProbe.Answer.RESET);
    }

    @Test
    void shouldResetAndReportNoneWhenNothingAnswersInTime() throws Exception {
        PacketSender silent = (packet, offset, length) -> sent.add(
            java.util.Arrays.copyOfRange(packet, offset, offset + length));

        SynProbe.Result result = new SynProbe(silent, tap, null).run(client(), 700, server(), 80, 1460,
            Duration.ofMillis(50));

        assertThat(result.answer()).isEqualTo(SynProbe.Answer.NONE);
        assertThat(flags()).containsExactly(TcpHeader.SYN, TcpHeader.RST);
    }

    @Test
    void shouldSayWhyWhenTheSynCannotBeSent() throws Exception {
        PacketSender refusing = (packet, offset, length) -> {
            throw new UncheckedIOException(new RawSocketException(1, "raw socket: sendto: errno EPERM(1)"));
        };

        SynProbe.Result result = new SynProbe(refusing, tap, null).run(client(), 700, server(), 80, 1460,
            Duration.ofSeconds(1));

        assertThat(result.answer()).isEqualTo(SynProbe.Answer.SEND_FAILED);
        assertThat(result.sendFailure()).isEqualTo("raw socket: sendto: errno EPERM(1)");
    }

    /** A target that answers each SYN at once through the tap, after one packet of another connection. */
    private PacketSender target(int answerFlags) {
        return (packet, offset, length) -> {
            byte[] copy = java.util.Arrays.copyOfRange(packet, offset, offset + length);
            sent.add(copy);
            IpTcpView syn = view(copy);
            if (syn.flags() != TcpHeader.SYN) {
                return;
            }
            IpTcpEncoder answer = new IpTcpEncoder().ipv4(syn.destinationV4(), syn.sourceV4())
                .ports(syn.destinationPort(), syn.sourcePort()).sequence(TARGET_SEQUENCE)
                .acknowledgment(syn.sequence() + 1).flags(answerFlags);
            answer.options().clear().mss(1400);
            byte[] bytes = new byte[answer.headerLength()];
            answer.encode(bytes, 0);
            byte[] other = new byte[answer.headerLength()];
            answer.ports(syn.destinationPort(), syn.sourcePort() + 1).encode(other, 0);
            tap.onPackets(List.of(new CapturedPacket(1, other.length, other),
                new CapturedPacket(2, bytes.length, bytes)));
        };
    }

    private List<Integer> flags() {
        return sent.stream().map(packet -> view(packet).flags()).toList();
    }

    private static IpTcpView view(byte[] packet) {
        return new IpTcpView().wrap(packet, 0, packet.length);
    }

    private static Inet4Address client() throws IOException {
        return (Inet4Address) InetAddress.getByName("198.18.1.7");
    }

    private static Inet4Address server() throws IOException {
        return (Inet4Address) IpAddresses.toInetAddress(IpAddresses.readInt(InetAddress.getByName("10.0.0.5")
            .getAddress(), 0));
    }
}
