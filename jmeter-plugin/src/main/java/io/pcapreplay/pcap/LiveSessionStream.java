package io.pcapreplay.pcap;

import io.pcapreplay.libpcap.LibpcapLocator;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

/**
 * Sessions copied from a live interface (tcpcopy's job), as an endless {@link SessionStream}: one capture thread
 * reads the device with libpcap (read-only: not promiscuous, nothing is injected or changed on the host), the
 * kernel filter keeping TCP on the server ports and the user's filter, optionally records every frame to rotating
 * pcapng files ({@link PcapngRecorder}), and assembles the sessions ({@link LiveAssembler}). Each session the
 * sampling keeps is handed out as soon as its first request is complete, {@link LiveOptions#amplification()} times,
 * as a growing {@link RecordedSession}: its later exchanges arrive while it is replayed. {@link #poll(long)} waits
 * for the next copy; {@link #next()} returns null only once the stream is closed (or the thread interrupted).
 *
 * <p>Bounded: the sessions in flight and their bytes are capped ({@link LiveAssembler}), the copies waiting for a
 * user are at most {@link LiveOptions#queueCapacity()}; everything beyond is dropped and counted
 * ({@link #counters()}).
 */
public final class LiveSessionStream implements SessionStream {

    private static final int READ_TIMEOUT_MILLIS = 50;
    private static final int KERNEL_BUFFER_BYTES = 32 << 20;
    private static final long HOUSEKEEPING_NANOS = 500_000_000L;
    /** Wait when the kernel has no frame ready (non-blocking reads): 1 ms. */
    private static final long IDLE_PARK_NANOS = 1_000_000L;

    private final LiveOptions options;
    private final PcapHandle handle;
    private final LinkType linkType;
    private final LiveAssembler assembler;
    private final PcapngRecorder recorder;
    private final BlockingQueue<RecordedSession> ready;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;
    private volatile long copied;
    private volatile long droppedQueue;
    private volatile long kernelDropsAtEnd = -1;

    private LiveSessionStream(LiveOptions options, PcapHandle handle, LinkType linkType) {
        this.options = options;
        this.handle = handle;
        this.linkType = linkType;
        this.ready = new ArrayBlockingQueue<>(options.queueCapacity());
        this.assembler = new LiveAssembler(linkType, options.capture(), options.percent(), this::handOut);
        this.recorder = options.recording() == null ? null
            : new PcapngRecorder(options.recording(), linkType, LiveOptions.SNAPLEN);
        this.thread = new Thread(this::capture, "pcap-replay-live-" + options.device());
        thread.setDaemon(true);
    }

    /**
     * Opens the device, installs the filter and starts capturing.
     *
     * @param options device, ports, filter, sampling, amplification, limits, recording
     * @return the stream (close it)
     * @throws CaptureException when libpcap is missing, the device does not exist, capturing is not permitted, the
     *     filter is invalid or the link type is not supported
     */
    public static LiveSessionStream open(LiveOptions options) throws CaptureException {
        if (LibpcapLocator.configure().isEmpty()) {
            throw new CaptureException("live interface " + options.device() + ": "
                + LibpcapLocator.notFoundMessage());
        }
        PcapHandle handle = build(options.device(), PcapHandle.TimestampPrecision.NANO);
        try {
            handle.setFilter(options.kernelFilter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING); // a blocked read would not see the stop
            LinkType type = LinkType.valueOf(handle.getDlt().value());
            if (type == null) {
                throw new CaptureException("live interface " + options.device() + ": link type "
                    + handle.getDlt().value() + " (expected: one of " + LinkType.supported() + ")");
            }
            LiveSessionStream stream = new LiveSessionStream(options, handle, type);
            stream.thread.start();
            return stream;
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new CaptureException("live interface " + options.device() + ": filter '" + options.kernelFilter()
                + "': " + e.getMessage() + " (expected: a pcap-filter(7) expression, e.g. 'host 10.0.0.5')", e);
        } catch (CaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static PcapHandle build(String device, PcapHandle.TimestampPrecision precision)
            throws CaptureException {
        try {
            return new PcapHandle.Builder(device)
                .snaplen(LiveOptions.SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MILLIS)
                .bufferSize(KERNEL_BUFFER_BYTES)
                .immediateMode(true)
                .timestampPrecision(precision)
                .build();
        } catch (PcapNativeException e) {
            String message = String.valueOf(e.getMessage());
            if (precision == PcapHandle.TimestampPrecision.NANO && message.toLowerCase().contains("precision")) {
                return build(device, PcapHandle.TimestampPrecision.MICRO);
            }
            String expected = message.contains("ermission") || message.contains("not permitted")
                ? "root or CAP_NET_RAW for the JVM" : "an existing interface; see 'ip link'";
            throw new CaptureException("live interface " + device + ": " + message + " (expected: " + expected + ")",
                e);
        }
    }

    private boolean handOut(RecordedSession session) {
        boolean any = false;
        for (int copy = 0; copy < options.amplification(); copy++) {
            if (ready.offer(session)) {
                copied++;
                any = true;
            } else {
                droppedQueue++;
            }
        }
        return any;
    }

    private void capture() {
        long nextHousekeeping = System.nanoTime() + HOUSEKEEPING_NANOS;
        try {
            while (running) {
                byte[] frame = handle.getNextRawPacket();
                if (frame != null) {
                    long timestamp = nanos(handle.getTimestamp());
                    if (recorder != null) {
                        recorder.write(frame, frame.length, Math.max(frame.length, handle.getOriginalLength()),
                            timestamp);
                    }
                    assembler.frame(frame, frame.length, timestamp);
                } else {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
                if (System.nanoTime() - nextHousekeeping >= 0) {
                    nextHousekeeping = System.nanoTime() + HOUSEKEEPING_NANOS;
                    assembler.expire(System.currentTimeMillis() * 1_000_000L);
                    if (recorder != null) {
                        recorder.flush();
                    }
                }
            }
        } catch (NotOpenException e) {
            // closed
        } catch (IOException e) {
            failure = "live interface " + options.device() + ": recording to " + options.recording().prefix()
                + ": " + e.getMessage() + " (expected: a writable path with room)";
        } catch (RuntimeException e) {
            failure = "live interface " + options.device() + ": capture stopped: " + e;
        } finally {
            assembler.finishAll(System.currentTimeMillis() * 1_000_000L);
            kernelDropsAtEnd = kernelDrops();
            try {
                if (recorder != null) {
                    recorder.close();
                }
            } catch (IOException e) {
                failure = "live interface " + options.device() + ": recording: " + e.getMessage();
            }
            handle.close();
        }
    }

    private static long nanos(Timestamp timestamp) {
        return timestamp == null ? System.currentTimeMillis() * 1_000_000L
            : Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000_000L + timestamp.getNanos();
    }

    private long kernelDrops() {
        try {
            PcapStat stat = handle.getStats();
            return stat.getNumPacketsDropped() + stat.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String source() {
        return "live interface " + options.device() + " (" + options.kernelFilter() + ")";
    }

    /** Returns the link type of the device. */
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public boolean endless() {
        return true;
    }

    /**
     * Waits for the next copy of a live session.
     *
     * @return the session (growing while its connection is open), or null once the stream is closed or the thread
     *     interrupted (its interrupt flag then set again)
     * @throws CaptureException when the capture failed
     */
    @Override
    public RecordedSession next() throws CaptureException {
        RecordedSession session = null;
        while (session == null && (running || !ready.isEmpty()) && !Thread.currentThread().isInterrupted()) {
            session = poll(100_000_000L);
        }
        return session;
    }

    /**
     * Waits for the next copy of a live session.
     *
     * @param timeoutNanos the longest wait
     * @return the session (growing while its connection is open), or null when none came in time, the stream is
     *     closed, or the thread was interrupted (its interrupt flag then set again)
     * @throws CaptureException when the capture failed
     */
    @Override
    public RecordedSession poll(long timeoutNanos) throws CaptureException {
        if (failure != null) {
            throw new CaptureException(failure);
        }
        try {
            return ready.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Returns what the capture did so far: the counters. */
    public LiveCounters counters() {
        long kernel = thread.isAlive() ? kernelDrops() : kernelDropsAtEnd;
        return new LiveCounters(assembler.frames, assembler.sessionsSeen, assembler.sessionsSampled, copied,
            assembler.droppedInFlight, assembler.droppedBytes, droppedQueue, assembler.tooLarge, assembler.withoutSyn,
            kernel, recorder == null ? 0 : recorder.files());
    }

    @Override
    public LeftOutCounts leftOut() {
        return LeftOutCounts.NONE;
    }

    @Override
    public String explainNoSession() {
        return source() + ": no session copied (" + counters() + ")";
    }

    /** Stops capturing (the frames read so far are assembled and recorded) and waits for the thread, at most 5 s. */
    @Override
    public void close() {
        running = false;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
