package io.pcapreplay.pcap;

/**
 * A classic BPF program (compiled once by libpcap, see {@link BpfCompiler}) run in Java on each frame, without
 * native calls or allocation: the same machine as libpcap's {@code bpf_filter()}.
 *
 * <p>Instructions are {@code code(16) jt(8) jf(8) k(32)}. Registers A and X and the 16 scratch words are unsigned
 * 32-bit; a load beyond the captured bytes, a division by zero or an unknown instruction rejects the frame (as
 * libpcap does); {@code len} is the frame's length on the wire; a program accepts a frame when it returns a
 * non-zero value. Not thread-safe (the scratch memory): one instance per reader.
 */
final class BpfFilter {

    private static final int LD_IMM = 0x00;
    private static final int LDX_IMM = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU_ADD_K = 0x04;
    private static final int JA = 0x05;
    private static final int RET_K = 0x06;
    private static final int TAX = 0x07;
    private static final int RET_X = 0x0e;
    private static final int JEQ_K = 0x15;
    private static final int RET_A = 0x16;
    private static final int JEQ_X = 0x1d;
    private static final int LD_W_ABS = 0x20;
    private static final int JGT_K = 0x25;
    private static final int LD_H_ABS = 0x28;
    private static final int JGT_X = 0x2d;
    private static final int LD_B_ABS = 0x30;
    private static final int JGE_K = 0x35;
    private static final int JGE_X = 0x3d;
    private static final int LD_W_IND = 0x40;
    private static final int JSET_K = 0x45;
    private static final int LD_H_IND = 0x48;
    private static final int JSET_X = 0x4d;
    private static final int LD_B_IND = 0x50;
    private static final int LD_MEM = 0x60;
    private static final int LDX_MEM = 0x61;
    private static final int LD_W_LEN = 0x80;
    private static final int LDX_W_LEN = 0x81;
    private static final int ALU_NEG = 0x84;
    private static final int TXA = 0x87;
    private static final int LDX_MSH_B = 0xb1;

    private static final int OP_ADD = 0x00;
    private static final int OP_SUB = 0x10;
    private static final int OP_MUL = 0x20;
    private static final int OP_DIV = 0x30;
    private static final int OP_OR = 0x40;
    private static final int OP_AND = 0x50;
    private static final int OP_LSH = 0x60;
    private static final int OP_RSH = 0x70;
    private static final int OP_MOD = 0x90;
    private static final int OP_XOR = 0xa0;
    private static final int OP_JEQ = 0x10;
    private static final int OP_JGT = 0x20;
    private static final int OP_JGE = 0x30;

    private static final int MEMORY_WORDS = 16;

    private final String expression;
    private final int[] codes;
    private final int[] jumpsIfTrue;
    private final int[] jumpsIfFalse;
    private final int[] constants;
    private final int[] memory = new int[MEMORY_WORDS];

    /**
     * @param expression the filter text (for messages)
     * @param instructions 8 bytes per instruction as in {@code struct bpf_insn}: code, jt, jf, k (already split)
     */
    BpfFilter(String expression, int[][] instructions) {
        this.expression = expression;
        int length = instructions.length;
        this.codes = new int[length];
        this.jumpsIfTrue = new int[length];
        this.jumpsIfFalse = new int[length];
        this.constants = new int[length];
        for (int index = 0; index < length; index++) {
            codes[index] = instructions[index][0];
            jumpsIfTrue[index] = instructions[index][1];
            jumpsIfFalse[index] = instructions[index][2];
            constants[index] = instructions[index][3];
        }
    }

    /** Returns the filter text: the expression. */
    String expression() {
        return expression;
    }

    /** Returns the number of instructions: the length. */
    int length() {
        return codes.length;
    }

    /**
     * Runs the program on a frame.
     *
     * @param frame the bytes
     * @param offset where the frame starts
     * @param capturedLength captured bytes of the frame
     * @param wireLength the frame's length on the wire
     * @return whether the program accepts the frame
     */
    boolean matches(byte[] frame, int offset, int capturedLength, int wireLength) {
        int a = 0;
        int x = 0;
        int length = codes.length;
        int pc = 0;
        while (pc < length) {
            int code = codes[pc];
            int k = constants[pc];
            switch (code & 0x07) {
                case RET_K:
                    return (code == RET_K ? k : code == RET_X ? x : code == RET_A ? a : 0) != 0;
                case LD_IMM: {
                    long value = load(code, k, x, frame, offset, capturedLength, wireLength);
                    if (value < 0) {
                        return false;
                    }
                    a = (int) value;
                    break;
                }
                case LDX_IMM: {
                    long value = loadIndex(code, k, frame, offset, capturedLength, wireLength);
                    if (value < 0) {
                        return false;
                    }
                    x = (int) value;
                    break;
                }
                case ST:
                    memory[k & (MEMORY_WORDS - 1)] = a;
                    break;
                case STX:
                    memory[k & (MEMORY_WORDS - 1)] = x;
                    break;
                case ALU_ADD_K: {
                    long value = code == ALU_NEG ? -a & 0xFFFF_FFFFL : alu(code, a, (code & 0x08) != 0 ? x : k);
                    if (value < 0) {
                        return false;
                    }
                    a = (int) value;
                    break;
                }
                case JA:
                    if (code == JA) {
                        if ((k & 0xFFFF_FFFFL) >= length) {
                            return false;
                        }
                        pc += k;
                    } else {
                        pc += jump(code, a, (code & 0x08) != 0 ? x : k) ? jumpsIfTrue[pc] : jumpsIfFalse[pc];
                    }
                    break;
                default:
                    if (code == TAX) {
                        x = a;
                    } else if (code == TXA) {
                        a = x;
                    } else {
                        return false;
                    }
                    break;
            }
            pc++;
        }
        return false;
    }

    /** A load into A: the value as an unsigned int, or -1 to reject the frame. */
    private long load(int code, int k, int x, byte[] frame, int offset, int capturedLength, int wireLength) {
        switch (code) {
            case LD_IMM:
                return k & 0xFFFF_FFFFL;
            case LD_MEM:
                return memory[k & (MEMORY_WORDS - 1)] & 0xFFFF_FFFFL;
            case LD_W_LEN:
                return wireLength & 0xFFFF_FFFFL;
            case LD_W_ABS:
            case LD_H_ABS:
            case LD_B_ABS:
            case LD_W_IND:
            case LD_H_IND:
            case LD_B_IND: {
                long address = (k & 0xFFFF_FFFFL) + (code >= LD_W_IND ? x & 0xFFFF_FFFFL : 0);
                int size = (code & 0x18) == 0 ? 4 : (code & 0x18) == 0x08 ? 2 : 1;
                if (address + size > capturedLength) {
                    return -1;
                }
                return read(frame, offset + (int) address, size) & 0xFFFF_FFFFL;
            }
            default:
                return -1;
        }
    }

    /** A load into X: the value as an unsigned int, or -1 to reject the frame. */
    private long loadIndex(int code, int k, byte[] frame, int offset, int capturedLength, int wireLength) {
        switch (code) {
            case LDX_IMM:
                return k & 0xFFFF_FFFFL;
            case LDX_MEM:
                return memory[k & (MEMORY_WORDS - 1)] & 0xFFFF_FFFFL;
            case LDX_W_LEN:
                return wireLength & 0xFFFF_FFFFL;
            case LDX_MSH_B:
                if ((k & 0xFFFF_FFFFL) >= capturedLength) {
                    return -1;
                }
                return (frame[offset + k] & 0x0F) << 2;
            default:
                return -1;
        }
    }

    private static boolean jump(int code, int a, int operand) {
        switch (code & 0xF0) {
            case OP_JEQ:
                return a == operand;
            case OP_JGT:
                return Integer.compareUnsigned(a, operand) > 0;
            case OP_JGE:
                return Integer.compareUnsigned(a, operand) >= 0;
            default:
                return (a & operand) != 0;
        }
    }

    /** An ALU operation on A: the result as an unsigned int, or -1 to reject (division by 0, unknown). */
    private static long alu(int code, int a, int operand) {
        int result;
        switch (code & 0xF0) {
            case OP_ADD:
                result = a + operand;
                break;
            case OP_SUB:
                result = a - operand;
                break;
            case OP_MUL:
                result = a * operand;
                break;
            case OP_DIV:
                if (operand == 0) {
                    return -1;
                }
                result = Integer.divideUnsigned(a, operand);
                break;
            case OP_MOD:
                if (operand == 0) {
                    return -1;
                }
                result = Integer.remainderUnsigned(a, operand);
                break;
            case OP_OR:
                result = a | operand;
                break;
            case OP_AND:
                result = a & operand;
                break;
            case OP_XOR:
                result = a ^ operand;
                break;
            case OP_LSH:
                result = (operand & 0xFFFF_FFFFL) >= 32 ? 0 : a << operand;
                break;
            case OP_RSH:
                result = (operand & 0xFFFF_FFFFL) >= 32 ? 0 : a >>> operand;
                break;
            default:
                return -1;
        }
        return (code & 0xFF00) != 0 ? -1 : result & 0xFFFF_FFFFL;
    }

    private static int read(byte[] frame, int at, int size) {
        if (size == 4) {
            return (frame[at] & 0xFF) << 24 | (frame[at + 1] & 0xFF) << 16 | (frame[at + 2] & 0xFF) << 8
                | frame[at + 3] & 0xFF;
        }
        if (size == 2) {
            return (frame[at] & 0xFF) << 8 | frame[at + 1] & 0xFF;
        }
        return frame[at] & 0xFF;
    }

    @Override
    public String toString() {
        return "BPF '" + expression + "' (" + codes.length + " instructions)";
    }
}
