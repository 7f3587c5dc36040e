package io.pcapreplay.benchmarks;

import io.pcapreplay.packet.IpTcpView;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.TcpPacket;

/**
 * Decoding the TCP header fields the replayer needs from every captured frame: our flyweight {@link IpTcpView}
 * against pcap4j's packet objects (the reference).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketDecodeBenchmark {

    private static final int ETHERNET_HEADER = 14;

    private List<byte[]> frames;
    private final IpTcpView view = new IpTcpView();
    private int next;

    @Setup
    public void load() {
        frames = ExampleFrames.load();
    }

    private byte[] nextFrame() {
        byte[] frame = frames.get(next);
        next = next + 1 == frames.size() ? 0 : next + 1;
        return frame;
    }

    @Benchmark
    public void ipTcpView(Blackhole blackhole) {
        byte[] frame = nextFrame();
        view.wrap(frame, ETHERNET_HEADER, frame.length - ETHERNET_HEADER);
        blackhole.consume(view.sourcePort());
        blackhole.consume(view.sequence());
        blackhole.consume(view.acknowledgment());
        blackhole.consume(view.flags());
        blackhole.consume(view.payloadLength());
    }

    @Benchmark
    public void pcap4jPacket(Blackhole blackhole) throws IllegalRawDataException {
        byte[] frame = nextFrame();
        TcpPacket tcp = EthernetPacket.newPacket(frame, 0, frame.length).get(TcpPacket.class);
        TcpPacket.TcpHeader header = tcp.getHeader();
        blackhole.consume(header.getSrcPort().valueAsInt());
        blackhole.consume(header.getSequenceNumber());
        blackhole.consume(header.getAcknowledgmentNumber());
        blackhole.consume(header.getSyn());
        blackhole.consume(tcp.getPayload() == null ? 0 : tcp.getPayload().length());
    }
}
