package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Lab#impair} on the client-target link: a sequence-numbered UDP flow from the client to the target, counted
 * by a socket in the target and by the impairment's nftables counters.
 */
@LabTest
class LabImpairmentTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int RECEIVE_IDLE_MILLIS = 1_500;

    @Test
    void shouldDropTheCountedPacketsWhenLossApplied(Lab lab) throws Exception {
        int sent = 2_000;
        try (LabImpairment impairment = lab.impair(LabLink.CLIENT_TARGET, Impairment.loss(10))) {
            List<Integer> received = sendAndReceive(lab, 9_001, sent, 100, 50);

            long arrived = impairment.arrived(LabRole.TARGET);
            long dropped = impairment.dropped(LabRole.TARGET);
            assertThat(arrived).as(impairment.show(LabRole.TARGET)).isEqualTo(sent);
            assertThat(dropped).isBetween(1L, arrived - 1);
            assertThat(received).hasSize((int) (arrived - dropped)).doesNotHaveDuplicates();
            assertThat(impairment.dropped(LabRole.CLIENT)).isZero();
        }
    }

    @Test
    void shouldDeliverLateThePacketsOfTheSlowPathWhenReorderApplied(Lab lab) throws Exception {
        int sent = 400;
        try (LabImpairment impairment = lab.impair(LabLink.CLIENT_TARGET,
                Impairment.reorderOnly(25).slowPathRate("256kbit"))) {
            List<Integer> received = sendAndReceive(lab, 9_002, sent, 200, 0);

            long rerouted = impairment.rerouted(LabRole.CLIENT);
            assertThat(received).as("no loss: every datagram arrives").hasSize(sent).doesNotHaveDuplicates();
            assertThat(rerouted).as(impairment.show(LabRole.CLIENT)).isBetween(1L, sent - 1L);
            assertThat(inversions(received)).as("datagrams overtaken by later ones").isPositive();
            String slowPath = lab.client().exec(TIMEOUT, "tc", "-s", "qdisc", "show", "dev",
                    lab.client().interfaceName(LabLink.CLIENT_TARGET) + "s").orThrow().stdout();
            Matcher sentPackets = Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(slowPath);
            assertThat(sentPackets.find()).as(slowPath).isTrue();
            assertThat(Long.parseLong(sentPackets.group(1))).as("the slow path carried the rerouted datagrams")
                    .isGreaterThanOrEqualTo(rerouted);
        }
    }

    @Test
    void shouldRestoreTheLinkWhenRemoved(Lab lab) throws Exception {
        LabImpairment impairment = lab.impair(LabLink.CLIENT_TARGET, Impairment.loss(50).reorder(50));
        impairment.remove();
        impairment.remove();

        List<Integer> received = sendAndReceive(lab, 9_003, 100, 100, 0);
        assertThat(received).hasSize(100);
        assertThat(lab.client().exec(TIMEOUT, "nft", "list", "tables").orThrow().stdout())
                .doesNotContain("pcapreplay_impair");
        assertThat(lab.target().exec(TIMEOUT, "ip", "link", "show").orThrow().stdout())
                .doesNotContain(lab.target().interfaceName(LabLink.CLIENT_TARGET) + "s");
    }

    /**
     * Sends {@code count} datagrams numbered 0.. from the client to the target (a pause of 1 ms after every
     * {@code burst} of them, none when 0) and returns the numbers in the order the target's socket received them.
     */
    private static List<Integer> sendAndReceive(Lab lab, int port, int count, int size, int burst)
            throws Exception {
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        DatagramSocket receiver = lab.target().call(() -> {
            DatagramSocket socket = new DatagramSocket(null);
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(new InetSocketAddress(target, port));
            socket.setSoTimeout(RECEIVE_IDLE_MILLIS);
            return socket;
        });
        try (receiver; DatagramSocket sender = lab.client().call(DatagramSocket::new)) {
            CompletableFuture<List<Integer>> received = CompletableFuture.supplyAsync(() -> receive(receiver, count));
            byte[] payload = new byte[size];
            for (int number = 0; number < count; number++) {
                ByteBuffer.wrap(payload).putInt(number);
                sender.send(new DatagramPacket(payload, size, target, port));
                if (burst > 0 && number % burst == burst - 1) {
                    Thread.sleep(1);
                }
            }
            return received.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static List<Integer> receive(DatagramSocket socket, int count) {
        List<Integer> numbers = new ArrayList<>();
        byte[] buffer = new byte[2_048];
        long deadline = System.nanoTime() + TIMEOUT.toNanos() / 2;
        try {
            while (numbers.size() < count && System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                numbers.add(ByteBuffer.wrap(buffer).getInt());
            }
        } catch (SocketTimeoutException e) {
            return numbers; // quiet for RECEIVE_IDLE_MILLIS: everything that will arrive has arrived
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return numbers;
    }

    private static int inversions(List<Integer> numbers) {
        int count = 0;
        for (int index = 1; index < numbers.size(); index++) {
            if (numbers.get(index) < numbers.get(index - 1)) {
                count++;
            }
        }
        return count;
    }
}
