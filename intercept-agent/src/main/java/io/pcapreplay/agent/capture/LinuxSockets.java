package io.pcapreplay.agent.capture;

import com.sun.jna.FunctionMapper;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The few libc calls the packet ring needs, bound by JNA direct mapping (Java names mapped to the C names). Linux
 * only; constants are those of the kernel's uapi headers (the same on x86-64 and arm64).
 */
final class LinuxSockets {

    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_ERROR = 4;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_COPY_THRESH = 7;
    static final int PACKET_VERSION = 10;
    static final int TPACKET_V2 = 1;
    static final int ETH_P_ALL = 0x0003;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLNVAL = 0x20;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final Map<String, String> C_NAMES = Map.of("interfaceIndex", "if_nametoindex",
            "memoryMap", "mmap", "memoryUnmap", "munmap", "closeDescriptor", "close",
            "receive", "recv");
    private static Throwable failure;

    static {
        try {
            FunctionMapper mapper = (library, method) -> C_NAMES.getOrDefault(method.getName(), method.getName());
            Native.register(LinuxSockets.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME,
                    Map.of(Library.OPTION_FUNCTION_MAPPER, mapper)));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            failure = e;
        }
    }

    private LinuxSockets() {
    }

    /** @return why libc could not be bound, or null when it was */
    static Throwable failure() {
        return Platform.isLinux() && Native.POINTER_SIZE == 8 ? failure
                : new UnsupportedOperationException("the packet ring needs 64-bit Linux");
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int descriptor, int level, int name, Pointer value, int length)
            throws LastErrorException;

    static native int getsockopt(int descriptor, int level, int name, Pointer value, Pointer length)
            throws LastErrorException;

    static native int bind(int descriptor, Pointer address, int length) throws LastErrorException;

    static native Pointer memoryMap(Pointer address, long length, int protection, int flags, int descriptor,
            long offset) throws LastErrorException;

    static native int memoryUnmap(Pointer address, long length);

    static native int poll(Pointer descriptors, long count, int timeoutMillis) throws LastErrorException;

    static native long receive(int descriptor, Pointer buffer, long length, int flags) throws LastErrorException;

    static native int closeDescriptor(int descriptor);

    static native int interfaceIndex(String name);
}
