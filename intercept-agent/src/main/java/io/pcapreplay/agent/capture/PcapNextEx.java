package io.pcapreplay.agent.capture;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.util.Map;
import org.pcap4j.core.PcapHandle;

/**
 * The libpcap hot path without per-packet JNA callbacks or structures: {@code pcap_next_ex} bound by JNA direct
 * mapping on the {@code pcap_t} of an open pcap4j handle, headers read straight from native memory, the frame
 * copied into a reused array. pcap4j still opens, filters, reports stats and closes the handle. Used when available
 * (64-bit Linux, pcap4j's handle field readable); {@link PcapReader} falls back to {@code pcap_dispatch} otherwise.
 */
final class PcapNextEx {

    /** A packet was read. */
    static final int PACKET = 1;
    /** The read timeout passed without a packet, or none is ready in non-blocking mode. */
    static final int TIMEOUT = 0;

    private static final int PKTHDR_CAPLEN = 16;
    private static final int PKTHDR_LEN = 20;
    private static final Map<String, String> C_NAMES = Map.of("pcapNextEx", "pcap_next_ex",
            "pcapGetSelectableFd", "pcap_get_selectable_fd");
    private static boolean registered;

    private final Pointer pcap;
    private final boolean nanoseconds;
    private final Memory slots = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer headerSlot = slots.share(0);
    private final Pointer dataSlot = slots.share(Native.POINTER_SIZE);
    private long timestampNanos;
    private int wireLength;
    private int status;

    private PcapNextEx(Pointer pcap, boolean nanoseconds) {
        this.pcap = pcap;
        this.nanoseconds = nanoseconds;
    }

    /**
     * @param handle an open handle
     * @param library what pcap4j loaded (the name or path given to JNA)
     * @return the fast reader, or null when this platform or pcap4j version does not allow it
     */
    static PcapNextEx of(PcapHandle handle, String library) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8 || !register(library)) {
            return null;
        }
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            Pointer pcap = (Pointer) field.get(handle);
            return pcap == null ? null
                    : new PcapNextEx(pcap, handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static synchronized boolean register(String library) {
        if (!registered) {
            try {
                FunctionMapper mapper = (nativeLibrary, method) -> C_NAMES.get(method.getName());
                Native.register(PcapNextEx.class, NativeLibrary.getInstance(library,
                        Map.of(Library.OPTION_FUNCTION_MAPPER, mapper)));
                registered = true;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** libpcap's {@code pcap_next_ex} (the function mapper supplies the C name). */
    private static native int pcapNextEx(Pointer pcap, Pointer header, Pointer data);

    /** libpcap's {@code pcap_get_selectable_fd}. */
    private static native int pcapGetSelectableFd(Pointer pcap);

    /** @return the descriptor to poll for readiness, or -1 */
    int selectableDescriptor() {
        return pcapGetSelectableFd(pcap);
    }

    /**
     * Reads the next packet into {@code frame}.
     *
     * @param frame where the frame is copied (its first bytes when the frame is longer)
     * @return the bytes copied for {@link #PACKET}; -1 with {@link #TIMEOUT} or an error code in {@link #status()}
     */
    int next(byte[] frame) {
        int result = pcapNextEx(pcap, headerSlot, dataSlot);
        status = result;
        if (result != PACKET) {
            return -1;
        }
        Pointer header = slots.getPointer(0);
        Pointer data = slots.getPointer(Native.POINTER_SIZE);
        long seconds = header.getLong(0);
        long fraction = header.getLong(8);
        timestampNanos = seconds * 1_000_000_000L + (nanoseconds ? fraction : fraction * 1000L);
        wireLength = header.getInt(PKTHDR_LEN);
        int length = Math.min(header.getInt(PKTHDR_CAPLEN), frame.length);
        data.read(0, frame, 0, length);
        return length;
    }

    /** @return the last pcap_next_ex result: 1 packet, 0 timeout, -1 error, -2 break */
    int status() {
        return status;
    }

    /** @return the capture time of the last packet, nanoseconds since the epoch */
    long timestampNanos() {
        return timestampNanos;
    }

    /** @return the frame's length on the wire, of the last packet */
    int wireLength() {
        return wireLength;
    }
}
