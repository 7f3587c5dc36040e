package io.pcapreplay.agent.capture;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures on one device with libpcap (immediate mode, sized kernel buffer, nanosecond timestamps when available)
 * on its own thread, and hands each IP packet to a {@link PacketSink} as raw bytes: no pcap4j packet objects.
 */
public final class DeviceCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCapture.class);
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final String device;
    private final PcapHandle handle;
    private final LinkLayer linkLayer;
    private final PacketSink sink;
    private final String library;
    private final LongAdder notIp = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    private DeviceCapture(String device, PcapHandle handle, LinkLayer linkLayer, PacketSink sink, String library) {
        this.device = device;
        this.library = library;
        this.handle = handle;
        this.linkLayer = linkLayer;
        this.sink = sink;
        this.thread = new Thread(this::run, "capture-" + device);
        thread.setDaemon(true);
    }

    /**
     * Opens a device and installs the filter; call {@link #start()} to begin.
     *
     * @param settings device, filter, snaplen, kernel buffer size
     * @param sink receives the packets
     * @return the capture
     * @throws CaptureException with the category of failure and libpcap's message
     */
    public static DeviceCapture open(CaptureSettings settings, String device, PacketSink sink)
            throws CaptureException {
        requireDevice(device);
        PcapHandle handle = build(settings, device, PcapHandle.TimestampPrecision.NANO);
        try {
            handle.setFilter(settings.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            LinkLayer layer = LinkLayer.ofDlt(handle.getDlt().value());
            if (layer == null) {
                throw new CaptureException(CaptureException.Kind.OTHER, "datalink type of " + device + ": "
                        + handle.getDlt() + " (expected: Ethernet, Linux cooked (any) or raw IP)", null);
            }
            return new DeviceCapture(device, handle, layer, sink, settings.library());
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new CaptureException(CaptureException.Kind.BAD_FILTER, "capture filter '" + settings.filter()
                    + "' on " + device + ": " + e.getMessage() + " (expected: a valid pcap-filter(7) expression)", e);
        } catch (CaptureException e) {
            handle.close();
            throw e;
        }
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
                dead.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN)
                        .free();
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

    private static void requireDevice(String device) throws CaptureException {
        try {
            List<String> names = new ArrayList<>();
            for (PcapNetworkInterface candidate : Pcaps.findAllDevs()) {
                names.add(candidate.getName());
            }
            if (!names.contains(device)) {
                throw new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE, "capture device: '" + device
                        + "' does not exist (expected: one of " + names + "; see 'ip link')", null);
            }
        } catch (PcapNativeException e) {
            throw new CaptureException(CaptureException.Kind.OTHER, "listing capture devices: " + e.getMessage(), e);
        }
    }

    private static PcapHandle build(CaptureSettings settings, String device, PcapHandle.TimestampPrecision precision)
            throws CaptureException {
        try {
            return new PcapHandle.Builder(device)
                    .snaplen(settings.snaplen())
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .bufferSize(settings.bufferBytes())
                    .immediateMode(true)
                    .timestampPrecision(precision)
                    .build();
        } catch (PcapNativeException e) {
            String message = String.valueOf(e.getMessage());
            if (precision == PcapHandle.TimestampPrecision.NANO && message.toLowerCase().contains("precision")) {
                return build(settings, device, PcapHandle.TimestampPrecision.MICRO);
            }
            if (message.contains("ermission") || message.contains("not permitted")) {
                throw new CaptureException(CaptureException.Kind.NO_PERMISSION, "capture on " + device + ": "
                        + message + " (expected: root or CAP_NET_RAW; run with sudo or "
                        + "setcap cap_net_raw,cap_net_admin+eip on the java binary)", e);
            }
            if (message.contains("No such device") || message.contains("doesn't exist")) {
                throw new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE, "capture device: '" + device
                        + "': " + message + " (expected: an existing interface; see 'ip link')", e);
            }
            throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": " + message, e);
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

    /** @return frames that carried no IP packet */
    public long notIp() {
        return notIp.sum();
    }

    /** @return packets the kernel dropped (buffer full), or -1 when unknown */
    public long kernelDrops() {
        try {
            PcapStat stat = handle.getStats();
            return stat.getNumPacketsDropped() + stat.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            return -1;
        }
    }

    private void run() {
        PcapNextEx fast = PcapNextEx.of(handle, library);
        LOG.info("capturing on {} ({}, {})", device, linkLayer, fast != null ? "pcap_next_ex" : "pcap_dispatch");
        try {
            if (fast != null) {
                readLoop(fast);
            } else {
                RawPacketListener listener = frame -> deliver(frame, nanos(handle.getTimestamp()),
                        handle.getOriginalLength());
                while (running) {
                    handle.dispatch(-1, listener);
                }
            }
        } catch (NotOpenException e) {
            LOG.debug("capture on {} closed", device);
        } catch (InterruptedException e) {
            LOG.debug("capture on {} interrupted", device);
        } catch (PcapNativeException | RuntimeException e) {
            LOG.error("capture on {} stopped: {}", device, e.toString(), e);
        }
    }

    private void readLoop(PcapNextEx fast) throws NotOpenException {
        while (running) {
            byte[] frame = fast.next();
            if (frame != null) {
                deliver(frame, fast.timestampNanos(), fast.wireLength());
            } else if (fast.status() != PcapNextEx.TIMEOUT) {
                if (running) {
                    LOG.error("capture on {} stopped: pcap_next_ex returned {}: {}", device, fast.status(),
                            handle.getError());
                }
                return;
            }
        }
    }

    private static long nanos(Timestamp timestamp) {
        return timestamp == null ? System.currentTimeMillis() * 1_000_000L
                : Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000_000L + timestamp.getNanos();
    }

    private void deliver(byte[] frame, long nanos, Integer wireLength) {
        int ipOffset = linkLayer.ipOffset(frame, frame.length);
        if (ipOffset < 0) {
            notIp.increment();
            return;
        }
        int available = frame.length - ipOffset;
        int stated = IpPackets.statedLength(frame, ipOffset, available);
        int ipLength = stated == 0 ? available : Math.min(stated, available);
        int original = stated != 0 ? Math.max(stated, ipLength)
                : wireLength == null ? ipLength : Math.max(ipLength, wireLength - ipOffset);
        sink.accept(nanos, frame, ipOffset, ipLength, original);
    }

    /**
     * Stops the thread (pcap_breakloop wakes a blocked read; waits up to one second) and closes the handle.
     */
    @Override
    public void close() {
        running = false;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1) + READ_TIMEOUT_MILLIS * 2L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            handle.close();
        } else {
            LOG.warn("capture thread on {} did not stop within 1 s; leaving its handle open", device);
        }
    }
}
