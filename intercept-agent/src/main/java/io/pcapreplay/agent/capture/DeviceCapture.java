package io.pcapreplay.agent.capture;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures on one device on its own thread, with the agent's packet ring ({@link RingReader}) or libpcap
 * ({@link PcapReader}), and hands each IP packet to a {@link PacketSink} as raw bytes (no packet objects), then
 * signals the end of each batch of ready frames.
 *
 * <p>After handing over a batch the thread pauses ({@link CaptureSettings#batchPause()}, 500 µs by default) before
 * it reads the next one. Under load the packets that arrive meanwhile make the next batch: the agent and the
 * replayer downstream wake once per batch instead of once per packet or two (on the measured 2-core machine this
 * halved the agent's CPU per packet). The first packet after a quiet spell wakes the thread at once (the reader
 * polls), so light load is not delayed; the pause only delays packets that follow a batch within it. Replayers
 * time samples by the capture timestamps, which the pause does not change. Readers that end a batch after every
 * frame (libpcap without a pollable descriptor) do not pause.
 */
public final class DeviceCapture implements AutoCloseable, FrameReader.FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCapture.class);
    private static final long STOP_MILLIS = 1200;

    private final String device;
    private final FrameReader reader;
    private final LinkLayer linkLayer;
    private final PacketSink sink;
    private final long batchPauseNanos;
    private final LongAdder notIp = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    private DeviceCapture(String device, FrameReader reader, LinkLayer linkLayer, PacketSink sink,
            CaptureSettings settings) {
        this.device = device;
        this.reader = reader;
        this.linkLayer = linkLayer;
        this.sink = sink;
        this.batchPauseNanos = settings.batchPause().toNanos();
        this.thread = new Thread(this::run, "capture-" + device);
        thread.setDaemon(true);
    }

    /**
     * Opens a device and installs the filter; call {@link #start()} to begin.
     *
     * @param settings filter, snaplen, kernel buffer size, method
     * @param device the device name
     * @param sink receives the packets (on this capture's thread only)
     * @return the capture
     * @throws CaptureException with the category of failure and the kernel's or libpcap's message
     */
    public static DeviceCapture open(CaptureSettings settings, String device, PacketSink sink)
            throws CaptureException {
        String unsupported = settings.method() == CaptureMethod.RING ? RingReader.unsupported(device) : null;
        if (settings.method() == CaptureMethod.RING && unsupported == null) {
            PcapReader.requireDevice(device);
            return new DeviceCapture(device, RingReader.open(device, settings), LinkLayer.EN10MB, sink, settings);
        }
        if (unsupported != null) {
            LOG.info("capture on {}: libpcap instead of the packet ring: {}", device, unsupported);
        }
        PcapReader reader = PcapReader.open(device, settings);
        LinkLayer layer = LinkLayer.ofDlt(reader.linkType());
        if (layer == null) {
            int type = reader.linkType();
            reader.close();
            throw new CaptureException(CaptureException.Kind.OTHER, "datalink type of " + device + ": " + type
                    + " (expected: Ethernet, Linux cooked (any) or raw IP)", null);
        }
        return new DeviceCapture(device, reader, layer, sink, settings);
    }

    /**
     * Checks a BPF filter without opening a device (and so without privileges).
     *
     * @param filter the expression
     * @param snaplen the snap length
     * @throws CaptureException with libpcap's message when it does not compile
     */
    public static void checkFilter(String filter, int snaplen) throws CaptureException {
        try {
            PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, snaplen);
            try {
                dead.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE,
                        PcapHandle.PCAP_NETMASK_UNKNOWN).free();
            } finally {
                dead.close();
            }
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException(CaptureException.Kind.BAD_FILTER, "capture filter '" + filter + "': "
                    + e.getMessage() + " (expected: a valid pcap-filter(7) expression, e.g. 'tcp and src port 80')",
                    e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException(CaptureException.Kind.NO_LIBPCAP, "libpcap: cannot be loaded: "
                    + e.getMessage() + " (expected: libpcap installed; Debian/Ubuntu: apt-get install libpcap0.8)", e);
        }
    }

    /** Starts the capture thread. */
    public void start() {
        thread.start();
    }

    /** @return the device name */
    public String device() {
        return device;
    }

    /** @return how frames are read (ring geometry or libpcap mode) */
    public String method() {
        return reader.describe() + ", " + (batchPauseNanos > 0 && reader.wholeBatches() ? "pause of "
                + batchPauseNanos / 1000 + " us after each batch" : "no pause after a batch");
    }

    /** @return frames that carried no IP packet */
    public long notIp() {
        return notIp.sum();
    }

    /** @return packets the kernel dropped (buffer full), or -1 when unknown */
    public long kernelDrops() {
        return reader.kernelDrops();
    }

    /** @return packets relayed shorter than captured because the kernel had no room for the whole packet */
    public long truncated() {
        return reader.truncated();
    }

    private void run() {
        LOG.info("capturing on {} ({}, {})", device, linkLayer, method());
        try {
            reader.read(this, () -> running);
        } catch (CaptureException | RuntimeException e) {
            if (running) {
                LOG.error("capture on {} stopped: {}", device, e.getMessage(), e);
            }
        }
    }

    @Override
    public void frame(byte[] frame, int length, long timestampNanos, int wireLength) {
        int ipOffset = linkLayer.ipOffset(frame, length);
        if (ipOffset < 0) {
            notIp.increment();
            return;
        }
        int available = length - ipOffset;
        int stated = IpPackets.statedLength(frame, ipOffset, available);
        int ipLength = stated == 0 ? available : Math.min(stated, available);
        int original = stated != 0 ? Math.max(stated, ipLength) : Math.max(ipLength, wireLength - ipOffset);
        sink.accept(timestampNanos, frame, ipOffset, ipLength, original);
    }

    @Override
    public void endOfBatch() {
        sink.endOfBatch();
        if (batchPauseNanos > 0 && running && reader.wholeBatches()) {
            LockSupport.parkNanos(batchPauseNanos);
        }
    }

    /** Stops the thread (waits up to about a second) and releases the socket or handle. */
    @Override
    public void close() {
        running = false;
        reader.interrupt();
        try {
            thread.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            reader.close();
        } else {
            LOG.warn("capture thread on {} did not stop within {} ms; leaving its socket open", device, STOP_MILLIS);
        }
    }
}
