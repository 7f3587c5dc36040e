package io.pcapreplay.agent.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The agent's own capture socket: AF_PACKET with a memory-mapped TPACKET_V2 ring of small frames.
 *
 * <p>Why: libpcap sizes ring frames by the snap length when the device has offloads (TSO/GSO, as veth and most
 * NICs do), so a 32 MiB buffer holds only ~500 frames of 64 KiB and a burst of 10,000 SYN-ACKs overflows it.
 * Here frames hold one MTU-sized packet (2 KiB on a 1500-byte link: 16,384 frames in 32 MiB); a larger packet (a
 * GSO super-packet) is also queued whole on the socket by the kernel ({@code PACKET_COPY_THRESH}, frame status
 * {@code TP_STATUS_COPY}) and read from there in order. TPACKET_V2 hands over each frame as it is filled (the
 * kernel wakes the reader per packet), unlike TPACKET_V3 whose blocks are retired on a timer of at least a
 * millisecond: light load costs no latency, and under load the reader drains every ready frame per wake-up.
 *
 * <p>libpcap only compiles the filter (for Ethernet framing); the kernel runs it. The reader reads frames straight
 * from the mapped ring (no native call per packet) and polls when the ring is empty.
 */
final class RingReader implements FrameReader {

    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_COPY = 2;
    private static final int TPACKET2_HEADER = 32;
    private static final int SOCKADDR_LL_PACKET_TYPE = TPACKET2_HEADER + 10;
    private static final int PACKET_OUTGOING = 4;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int BLOCK_BYTES = 1 << 16;
    private static final int FRAME_OVERHEAD = 96;
    private static final int MAX_BATCH = 1024;
    private static final int POLL_MILLIS = 100;
    private static final int COPY_BYTES = 1 << 18;
    private static final VarHandle STATUS = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.nativeOrder());

    private final String device;
    private final int descriptor;
    private final Pointer ringAddress;
    private final long ringBytes;
    private final ByteBuffer ring;
    private final int frameBytes;
    private final int framesPerBlock;
    private final int frameCount;
    private final int snaplen;
    private final boolean loopback;
    private final byte[] scratch;
    private final Memory copyBuffer = new Memory(COPY_BYTES);
    private final Memory pollDescriptor = new Memory(8);
    private final Memory statistics = new Memory(8);
    private final Memory statisticsLength = new Memory(4);
    private long kernelDrops;
    private volatile long truncated;
    private boolean closed;

    private RingReader(String device, int descriptor, Pointer ringAddress, long ringBytes, int frameBytes,
            int framesPerBlock, int frameCount, int snaplen, boolean loopback) {
        this.device = device;
        this.descriptor = descriptor;
        this.ringAddress = ringAddress;
        this.ringBytes = ringBytes;
        this.ring = ringAddress.getByteBuffer(0, ringBytes).order(ByteOrder.nativeOrder());
        this.frameBytes = frameBytes;
        this.framesPerBlock = framesPerBlock;
        this.frameCount = frameCount;
        this.snaplen = snaplen;
        this.loopback = loopback;
        this.scratch = new byte[Math.max(snaplen, frameBytes)];
        pollDescriptor.setInt(0, descriptor);
        pollDescriptor.setShort(4, (short) (LinuxSockets.POLLIN | LinuxSockets.POLLERR));
    }

    /**
     * @param device an Ethernet or loopback device
     * @return why the ring cannot serve this device ("'any' has no single link layer"), or null when it can
     */
    static String unsupported(String device) {
        if (LinuxSockets.failure() != null) {
            return "libc: " + LinuxSockets.failure().getMessage();
        }
        if (device.equals("any")) {
            return "'any' mixes link layers";
        }
        int type = sysInt(device, "type");
        return type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK ? null
                : "link type " + type + " (the ring reads Ethernet and loopback devices)";
    }

    /**
     * Opens the socket: filter, ring and binding, in the order that lets no unfiltered packet in.
     *
     * @param device an Ethernet or loopback device ({@link #unsupported} returned null)
     * @param settings filter, snap length, ring size
     * @return the reader
     * @throws CaptureException when the kernel refuses
     */
    static RingReader open(String device, CaptureSettings settings) throws CaptureException {
        int index = LinuxSockets.interfaceIndex(device);
        if (index == 0) {
            throw new CaptureException(CaptureException.Kind.NO_SUCH_INTERFACE, "capture device: '" + device
                    + "' does not exist (expected: an existing interface; see 'ip link')", null);
        }
        int mtu = sysInt(device, "mtu");
        int frameBytes = frameBytes(mtu);
        int blocks = Math.max(1, settings.bufferBytes() / BLOCK_BYTES);
        int framesPerBlock = BLOCK_BYTES / frameBytes;
        int descriptor;
        try {
            descriptor = LinuxSockets.socket(LinuxSockets.AF_PACKET, LinuxSockets.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new CaptureException(e.getErrorCode() == 1 ? CaptureException.Kind.NO_PERMISSION
                    : CaptureException.Kind.OTHER, "capture on " + device + ": packet socket: " + e.getMessage()
                    + " (expected: root or CAP_NET_RAW)", e);
        }
        Pointer address = null;
        long ringBytes = (long) blocks * BLOCK_BYTES;
        try {
            setInt(descriptor, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_VERSION, LinuxSockets.TPACKET_V2);
            attachFilter(descriptor, settings, device);
            setInt(descriptor, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_COPY_THRESH, 1);
            int copyQueue = Math.max(4 << 20, settings.bufferBytes() / 4);
            try {
                setInt(descriptor, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUFFORCE, copyQueue);
            } catch (LastErrorException e) {
                setInt(descriptor, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, copyQueue);
            }
            Memory request = new Memory(16);
            request.setInt(0, BLOCK_BYTES);
            request.setInt(4, blocks);
            request.setInt(8, frameBytes);
            request.setInt(12, blocks * framesPerBlock);
            LinuxSockets.setsockopt(descriptor, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_RX_RING, request, 16);
            address = LinuxSockets.memoryMap(null, ringBytes, LinuxSockets.PROT_READ | LinuxSockets.PROT_WRITE,
                    LinuxSockets.MAP_SHARED, descriptor, 0);
            Memory link = new Memory(20);
            link.clear();
            link.setShort(0, (short) LinuxSockets.AF_PACKET);
            link.setByte(2, (byte) (LinuxSockets.ETH_P_ALL >>> 8));
            link.setByte(3, (byte) LinuxSockets.ETH_P_ALL);
            link.setInt(4, index);
            LinuxSockets.bind(descriptor, link, 20);
            RingReader reader = new RingReader(device, descriptor, address, ringBytes, frameBytes, framesPerBlock,
                    blocks * framesPerBlock, settings.snaplen(), sysInt(device, "type") == ARPHRD_LOOPBACK);
            return reader;
        } catch (LastErrorException e) {
            if (address != null) {
                LinuxSockets.memoryUnmap(address, ringBytes);
            }
            LinuxSockets.closeDescriptor(descriptor);
            throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": packet ring of "
                    + ringBytes / (1 << 20) + " MiB: " + e.getMessage() + " (expected: the kernel to grant it; try "
                    + "a smaller --buffer-mib or --capture pcap)", e);
        } catch (CaptureException | RuntimeException e) {
            if (address != null) {
                LinuxSockets.memoryUnmap(address, ringBytes);
            }
            LinuxSockets.closeDescriptor(descriptor);
            throw e;
        }
    }

    /** Frames hold an MTU-sized packet plus headers: 2 KiB up to a 1,900-byte MTU, up to 16 KiB for jumbo MTUs. */
    static int frameBytes(int mtu) {
        int needed = FRAME_OVERHEAD + Math.max(mtu, 1500) + 18;
        if (needed > 16_384) {
            return 2048;
        }
        return Math.max(2048, Integer.highestOneBit(needed - 1) << 1);
    }

    private static void attachFilter(int descriptor, CaptureSettings settings, String device)
            throws CaptureException {
        try {
            PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, settings.snaplen());
            try {
                BpfProgram program = dead.compileFilter(settings.filter(), BpfProgram.BpfCompileMode.OPTIMIZE,
                        PcapHandle.PCAP_NETMASK_UNKNOWN);
                try {
                    Field field = BpfProgram.class.getDeclaredField("program");
                    field.setAccessible(true);
                    Pointer compiled = ((Structure) field.get(program)).getPointer();
                    Memory socketFilter = new Memory(16);
                    socketFilter.clear();
                    socketFilter.setShort(0, (short) compiled.getInt(0));
                    socketFilter.setPointer(8, compiled.getPointer(8));
                    LinuxSockets.setsockopt(descriptor, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_ATTACH_FILTER,
                            socketFilter, 16);
                } finally {
                    program.free();
                }
            } finally {
                dead.close();
            }
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException(CaptureException.Kind.BAD_FILTER, "capture filter '" + settings.filter()
                    + "' on " + device + ": " + e.getMessage() + " (expected: a valid pcap-filter(7) expression)", e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new CaptureException(CaptureException.Kind.OTHER, "capture filter on " + device + ": compiled "
                    + "program not reachable in this pcap4j (" + e + "; use --capture pcap)", e);
        }
    }

    @Override
    public void read(FrameHandler handler, BooleanSupplier running) throws CaptureException {
        int next = 0;
        while (running.getAsBoolean()) {
            int batch = 0;
            while (batch < MAX_BATCH) {
                int offset = offsetOf(next);
                int status = (int) STATUS.getAcquire(ring, offset);
                if ((status & TP_STATUS_USER) == 0) {
                    break;
                }
                deliver(handler, offset, status);
                STATUS.setRelease(ring, offset, 0);
                next = next + 1 == frameCount ? 0 : next + 1;
                batch++;
            }
            if (batch > 0) {
                handler.endOfBatch();
                continue;
            }
            waitForFrames();
        }
    }

    private int offsetOf(int frame) {
        return (frame / framesPerBlock) * BLOCK_BYTES + (frame % framesPerBlock) * frameBytes;
    }

    private void deliver(FrameHandler handler, int offset, int status) {
        if (loopback && (ring.get(offset + SOCKADDR_LL_PACKET_TYPE) & 0xFF) == PACKET_OUTGOING) {
            if ((status & TP_STATUS_COPY) != 0) {
                receiveCopy();
            }
            return;
        }
        int wireLength = ring.getInt(offset + 4);
        int captured = ring.getInt(offset + 8);
        int mac = ring.getShort(offset + 12) & 0xFFFF;
        long nanos = (ring.getInt(offset + 16) & 0xFFFF_FFFFL) * 1_000_000_000L + (ring.getInt(offset + 20)
                & 0xFFFF_FFFFL);
        int length;
        if ((status & TP_STATUS_COPY) != 0) {
            length = receiveCopy();
            if (length < 0) {
                length = copyFromRing(offset, mac, captured);
                truncated++;
            }
        } else {
            length = copyFromRing(offset, mac, captured);
            if (captured < Math.min(wireLength, snaplen)) {
                truncated++;
            }
        }
        handler.frame(scratch, length, nanos, wireLength);
    }

    private int copyFromRing(int offset, int mac, int captured) {
        int length = Math.min(Math.min(captured, frameBytes - mac), scratch.length);
        ring.get(offset + mac, scratch, 0, length);
        return length;
    }

    /** @return the whole packet's captured length, read from the socket queue into the scratch array, or -1 */
    private int receiveCopy() {
        try {
            long length = LinuxSockets.receive(descriptor, copyBuffer, COPY_BYTES,
                    LinuxSockets.MSG_DONTWAIT | LinuxSockets.MSG_TRUNC);
            int kept = (int) Math.min(Math.min(length, COPY_BYTES), Math.min(snaplen, scratch.length));
            copyBuffer.read(0, scratch, 0, kept);
            return kept;
        } catch (LastErrorException e) {
            return -1;
        }
    }

    private void waitForFrames() throws CaptureException {
        try {
            pollDescriptor.setShort(6, (short) 0);
            LinuxSockets.poll(pollDescriptor, 1, POLL_MILLIS);
            short events = pollDescriptor.getShort(6);
            if ((events & LinuxSockets.POLLNVAL) != 0) {
                throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": socket closed",
                        null);
            }
            if ((events & LinuxSockets.POLLERR) != 0) {
                Memory error = new Memory(4);
                Memory length = new Memory(4);
                length.setInt(0, 4);
                LinuxSockets.getsockopt(descriptor, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_ERROR, error, length);
                throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": socket error "
                        + error.getInt(0) + " (is the interface down?)", null);
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LinuxSockets.EINTR) {
                throw new CaptureException(CaptureException.Kind.OTHER, "capture on " + device + ": poll: "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized long kernelDrops() {
        if (closed) {
            return kernelDrops;
        }
        try {
            statisticsLength.setInt(0, 8);
            LinuxSockets.getsockopt(descriptor, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_STATISTICS, statistics,
                    statisticsLength);
            kernelDrops += statistics.getInt(4) & 0xFFFF_FFFFL;
            return kernelDrops;
        } catch (LastErrorException e) {
            return -1;
        }
    }

    @Override
    public long truncated() {
        return truncated;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "packet ring: TPACKET_V2, %d frames of %d B (%d MiB), larger packets "
                + "through the socket queue", frameCount, frameBytes, ringBytes >> 20);
    }

    @Override
    public void interrupt() {
        // the read polls with a 100 ms timeout and checks its running flag
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            kernelDrops();
            closed = true;
            LinuxSockets.memoryUnmap(ringAddress, ringBytes);
            LinuxSockets.closeDescriptor(descriptor);
        }
    }

    private static void setInt(int descriptor, int level, int name, int value) {
        Memory memory = new Memory(4);
        memory.setInt(0, value);
        LinuxSockets.setsockopt(descriptor, level, name, memory, 4);
    }

    private static int sysInt(String device, String attribute) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", device, attribute)).trim());
        } catch (IOException | NumberFormatException | InvalidPathException e) {
            return -1;
        }
    }
}
