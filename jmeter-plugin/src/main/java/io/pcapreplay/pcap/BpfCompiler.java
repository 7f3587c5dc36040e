package io.pcapreplay.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.pcapreplay.libpcap.LibpcapLocator;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compiles a pcap-filter(7) expression once with libpcap ({@code pcap_open_dead}, {@code pcap_compile}) and copies
 * the program out for {@link BpfFilter}, which runs it in Java: one native call per filter and link type, none per
 * packet.
 */
final class BpfCompiler {

    /** {@code PCAP_NETMASK_UNKNOWN}: "broadcast" cannot be resolved offline. */
    private static final int NETMASK_UNKNOWN = 0xFFFF_FFFF;
    private static final int INSTRUCTION_BYTES = 8;

    private BpfCompiler() {
    }

    /**
     * Compiles a filter for one link type.
     *
     * @param expression the filter
     * @param linkType the link type of the frames it will see
     * @param file the capture (named in messages)
     * @return the program
     * @throws CaptureException when libpcap is missing or refuses the expression
     */
    static synchronized BpfFilter compile(String expression, LinkType linkType, Path file) throws CaptureException {
        Optional<String> library = LibpcapLocator.configure();
        if (library.isEmpty()) {
            throw new CaptureException("BPF filter '" + expression + "' for " + file + ": "
                + LibpcapLocator.notFoundMessage());
        }
        NativeLibrary pcap;
        try {
            pcap = NativeLibrary.getInstance(library.get());
        } catch (UnsatisfiedLinkError e) {
            throw new CaptureException("libpcap: cannot be loaded: " + e.getMessage() + " (expected: libpcap "
                + "installed; run: apt-get install libpcap0.8, or set -D" + LibpcapLocator.LIBRARY_PROPERTY + ")", e);
        }
        Pointer handle = pcap.getFunction("pcap_open_dead").invokePointer(new Object[] {compileLinkType(linkType),
            CaptureFile.MAX_CAPTURED_LENGTH});
        if (handle == null) {
            throw new CaptureException("BPF filter '" + expression + "' for " + file + ": libpcap could not open a "
                + "handle for link type " + linkType.displayName() + " (expected: a libpcap that knows it)");
        }
        Memory program = new Memory(2L * Native.POINTER_SIZE);
        program.clear();
        try {
            int status = pcap.getFunction("pcap_compile").invokeInt(new Object[] {handle, program, expression, 1,
                NETMASK_UNKNOWN});
            if (status != 0) {
                String reason = pcap.getFunction("pcap_geterr").invokeString(new Object[] {handle}, false);
                throw new CaptureException("BPF filter '" + expression + "' for " + file + ": " + reason
                    + " (expected: a pcap-filter(7) expression, e.g. 'tcp port 80')");
            }
            try {
                return new BpfFilter(expression, instructions(program));
            } finally {
                pcap.getFunction("pcap_freecode").invokeVoid(new Object[] {program});
            }
        } finally {
            pcap.getFunction("pcap_close").invokeVoid(new Object[] {handle});
        }
    }

    /** {@code struct bpf_program {u_int bf_len; struct bpf_insn *bf_insns;}}, the pointer aligned after the int. */
    private static int[][] instructions(Memory program) {
        int count = program.getInt(0);
        Pointer base = program.getPointer(Native.POINTER_SIZE);
        int[][] instructions = new int[count][];
        for (int index = 0; index < count; index++) {
            long at = (long) index * INSTRUCTION_BYTES;
            instructions[index] = new int[] {base.getShort(at) & 0xFFFF, base.getByte(at + 2) & 0xFF,
                base.getByte(at + 3) & 0xFF, base.getInt(at + 4)};
        }
        return instructions;
    }

    /** The DLT libpcap's code generator expects: raw IP is DLT_RAW (12 on Linux) whatever the file said. */
    private static int compileLinkType(LinkType linkType) {
        switch (linkType) {
            case RAW:
            case RAW_OPENBSD:
            case RAW_LINKTYPE:
                return LinkType.RAW.dlt();
            default:
                return linkType.dlt();
        }
    }
}
