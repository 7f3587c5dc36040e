package io.pcapreplay.agent.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Frames from libpcap (immediate mode, sized kernel buffer, nanosecond timestamps when available), read with
 * {@code pcap_next_ex} in non-blocking mode and a {@code poll} when nothing is ready, so a batch ends exactly when
 * the kernel has no more frames. Used for 'any', non-Ethernet devices and {@code --capture pcap}.
 *
 * <p>Benchmark knobs (system properties, not options): {@code pcapreplay.pcap.immediate=false} lets libpcap use
 * TPACKET_V3 (blocks retired by a timer), {@code pcapreplay.pcap.timeoutMillis} sets that timer (100).
 */
final class PcapReader implements FrameReader {

    private static final int READ_TIMEOUT_MILLIS = Integer.getInteger("pcapreplay.pcap.timeoutMillis", 100);
    private static final boolean IMMEDIATE = !"false".equals(System.getProperty("pcapreplay.pcap.immediate"));
    private static final int MAX_BATCH = 1024;

    private final String device;
    private final PcapHandle handle;
    private final String library;
    private final int bufferBytes;
    private final byte[] scratch;
    private volatile boolean wholeBatches = true;
    private volatile String mode = "libpcap";
    private volatile long dropsAtClose = -1;
    private volatile boolean closed;

    private PcapReader(String device, PcapHandle handle, String library, int bufferBytes, int snaplen) {
        this.device = device;
        this.handle = handle;
        this.library = library;
        this.bufferBytes = bufferBytes;
        this.scratch = new byte[snaplen];
    }

    /**
     * Opens a device and installs the filter.
     *
     * @param device the device
     * @param settings filter, snaplen, kernel buffer size
     * @return the reader
     * @throws CaptureException with the category of failure and libpcap's message
     */
    static PcapReader open(String device, CaptureSettings settings) throws CaptureException {
        requireDevice(device);
        PcapHandle handle = build(settings, device, PcapHandle.TimestampPrecision.NANO);
        try {
            handle.setFilter(settings.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            return new PcapReader(device, handle, settings.library(), settings.bufferBytes(), settings.snaplen());
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new CaptureException(CaptureException.Kind.BAD_FILTER, "capture filter '" + settings.filter()
                    + "' on " + device + ": " + e.getMessage() + " (expected: a valid pcap-filter(7) expression)", e);
        }
    }

    /** @return libpcap's datalink type number of the open device */
    int linkType() {
        return handle.getDlt().value();
    }

    static void requireDevice(String device) throws CaptureException {
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
                    .immediateMode(IMMEDIATE)
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

    @Override
    public void read(FrameHandler handler, BooleanSupplier running) throws CaptureException {
        PcapNextEx fast = PcapNextEx.of(handle, library);
        try {
            if (fast == null) {
                wholeBatches = false;
                mode = "libpcap pcap_dispatch, " + (IMMEDIATE ? "immediate mode" : "TPACKET_V3");
                RawPacketListener listener = frame -> {
                    handler.frame(frame, frame.length, nanos(handle.getTimestamp()), handle.getOriginalLength());
                    handler.endOfBatch();
                };
                while (running.getAsBoolean()) {
                    handle.dispatch(-1, listener);
                }
                return;
            }
            int descriptor = LinuxSockets.failure() == null ? fast.selectableDescriptor() : -1;
            if (descriptor >= 0) {
                handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            } else {
                wholeBatches = false;
            }
            mode = "libpcap pcap_next_ex, " + (IMMEDIATE ? "immediate mode" : "TPACKET_V3 " + READ_TIMEOUT_MILLIS
                    + " ms blocks") + ", " + (bufferBytes >> 20) + " MiB";
            readLoop(fast, descriptor, handler, running);
        } catch (NotOpenException | InterruptedException e) {
            // closed or stopped
        } catch (PcapNativeException e) {
            throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": " + e.getMessage(),
                    e);
        }
    }

    private void readLoop(PcapNextEx fast, int descriptor, FrameHandler handler, BooleanSupplier running)
            throws CaptureException, NotOpenException {
        Memory poll = new Memory(8);
        int batch = 0;
        while (running.getAsBoolean()) {
            int length = fast.next(scratch);
            if (length >= 0) {
                handler.frame(scratch, length, fast.timestampNanos(), fast.wireLength());
                if (++batch >= MAX_BATCH || descriptor < 0) {
                    handler.endOfBatch();
                    batch = 0;
                }
            } else if (fast.status() == PcapNextEx.TIMEOUT) {
                if (batch > 0) {
                    handler.endOfBatch();
                    batch = 0;
                }
                if (descriptor >= 0) {
                    poll.setInt(0, descriptor);
                    poll.setInt(4, LinuxSockets.POLLIN);
                    try {
                        LinuxSockets.poll(poll, 1, READ_TIMEOUT_MILLIS);
                    } catch (LastErrorException e) {
                        // EINTR: read again
                    }
                }
            } else {
                if (running.getAsBoolean()) {
                    throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device
                            + ": pcap_next_ex returned " + fast.status() + ": " + handle.getError(), null);
                }
                return;
            }
        }
    }

    @Override
    public boolean wholeBatches() {
        return wholeBatches;
    }

    private static long nanos(Timestamp timestamp) {
        return timestamp == null ? System.currentTimeMillis() * 1_000_000L
                : Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000_000L + timestamp.getNanos();
    }

    @Override
    public long kernelDrops() {
        if (closed) {
            return dropsAtClose;
        }
        try {
            PcapStat stat = handle.getStats();
            return stat.getNumPacketsDropped() + stat.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public long truncated() {
        return 0;
    }

    @Override
    public String describe() {
        return mode;
    }

    @Override
    public void interrupt() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        dropsAtClose = kernelDrops();
        closed = true;
        handle.close();
    }
}
