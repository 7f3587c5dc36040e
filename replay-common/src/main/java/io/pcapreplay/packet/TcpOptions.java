package io.pcapreplay.packet;

/**
 * TCP options: MSS, window scale, SACK permitted, timestamps and SACK blocks. Mutable and reusable: filled by
 * {@link IpTcpView} when decoding, or set by the caller and written by {@link IpTcpEncoder}. Absent values are
 * -1 ({@link #mss()}, {@link #windowScale()}) or false.
 *
 * <p>Written layout (as Linux does, every option 4-byte aligned): {@code MSS(2,4)}, then {@code SACK-permitted
 * (4,2) + timestamps(8,10)} or {@code NOP NOP timestamps} or {@code NOP NOP SACK-permitted}, then {@code NOP
 * window-scale(3,3)}, then {@code NOP NOP SACK(5,2+8n)}; 40 bytes at most.
 */
public final class TcpOptions {

    /** Most SACK blocks an option can hold. */
    public static final int MAX_SACK_BLOCKS = 4;
    /** Most option bytes in a TCP header. */
    public static final int MAX_LENGTH = 40;

    private int mss = -1;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private int timestampValue;
    private int timestampEcho;
    private int sackBlockCount;
    private final int[] sackEdges = new int[MAX_SACK_BLOCKS * 2];
    private boolean malformed;

    /**
     * Clears every option.
     *
     * @return this
     */
    public TcpOptions clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        timestampValue = 0;
        timestampEcho = 0;
        sackBlockCount = 0;
        malformed = false;
        return this;
    }

    /**
     * Parses the option bytes {@code buffer[start .. end)}; stops at END or at the first malformed option (then
     * {@link #malformed()} is true). Unknown options are skipped.
     *
     * @param buffer the bytes
     * @param start the first option byte
     * @param end the end of the TCP header
     * @return this
     */
    public TcpOptions parse(byte[] buffer, int start, int end) {
        clear();
        int position = start;
        while (position < end) {
            int kind = buffer[position] & 0xFF;
            if (kind == TcpHeader.OPTION_END) {
                break;
            }
            if (kind == TcpHeader.OPTION_NOP) {
                position++;
                continue;
            }
            int length = position + 1 < end ? buffer[position + 1] & 0xFF : 0;
            if (length < 2 || position + length > end || !parseOption(buffer, position, kind, length)) {
                malformed = true;
                break;
            }
            position += length;
        }
        return this;
    }

    private boolean parseOption(byte[] buffer, int position, int kind, int length) {
        switch (kind) {
            case TcpHeader.OPTION_MSS:
                mss = Ipv4Header.readShort(buffer, position + 2);
                return length == 4;
            case TcpHeader.OPTION_WINDOW_SCALE:
                windowScale = buffer[position + 2] & 0xFF;
                return length == 3;
            case TcpHeader.OPTION_SACK_PERMITTED:
                sackPermitted = true;
                return length == 2;
            case TcpHeader.OPTION_TIMESTAMPS:
                if (length != 10) {
                    return false;
                }
                timestamps = true;
                timestampValue = IpAddresses.readInt(buffer, position + 2);
                timestampEcho = IpAddresses.readInt(buffer, position + 6);
                return true;
            case TcpHeader.OPTION_SACK:
                if ((length - 2) % 8 != 0) {
                    return false;
                }
                sackBlockCount = Math.min((length - 2) / 8, MAX_SACK_BLOCKS);
                for (int index = 0; index < sackBlockCount * 2; index++) {
                    sackEdges[index] = IpAddresses.readInt(buffer, position + 2 + index * 4);
                }
                return true;
            default:
                return true;
        }
    }

    /** Returns the maximum segment size: the MSS, or -1 when absent. */
    public int mss() {
        return mss;
    }

    /** Returns the window scale shift: as sent (may exceed 14), or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    /** Tells whether SACK-permitted was present: whether it was. */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** Tells whether the timestamps option was present: whether it was. */
    public boolean hasTimestamps() {
        return timestamps;
    }

    /** Returns TSval: the timestamp value (0 when absent). */
    public int timestampValue() {
        return timestampValue;
    }

    /** Returns TSecr: the timestamp echo reply (0 when absent). */
    public int timestampEcho() {
        return timestampEcho;
    }

    /** Returns how many SACK blocks the SACK option held: 0 to 4. */
    public int sackBlockCount() {
        return sackBlockCount;
    }

    /**
     * Returns the left edge of a SACK block.
     *
     * @param index the block, from 0
     * @return the first sequence number of the block
     */
    public int sackLeft(int index) {
        checkSackIndex(index);
        return sackEdges[index * 2];
    }

    /**
     * Returns the right edge of a SACK block.
     *
     * @param index the block, from 0
     * @return the sequence number after the block
     */
    public int sackRight(int index) {
        checkSackIndex(index);
        return sackEdges[index * 2 + 1];
    }

    /** Tells whether the parse stopped at a malformed option: whether it did. */
    public boolean malformed() {
        return malformed;
    }

    /**
     * Sets the MSS option.
     *
     * @param value the MSS (0..65535), or -1 for none
     * @return this
     */
    public TcpOptions mss(int value) {
        if (value < -1 || value > 0xFFFF) {
            throw new IllegalArgumentException("MSS: " + value + " (expected: 0 to 65535, or -1 for none)");
        }
        mss = value;
        return this;
    }

    /**
     * Sets the window scale option.
     *
     * @param shift the shift (0..14), or -1 for none
     * @return this
     */
    public TcpOptions windowScale(int shift) {
        if (shift < -1 || shift > TcpHeader.MAX_WINDOW_SCALE) {
            throw new IllegalArgumentException("window scale: " + shift + " (expected: 0 to 14, or -1 for none)");
        }
        windowScale = shift;
        return this;
    }

    /**
     * Sets SACK-permitted.
     *
     * @param permitted whether to send it
     * @return this
     */
    public TcpOptions sackPermitted(boolean permitted) {
        sackPermitted = permitted;
        return this;
    }

    /**
     * Sets the timestamps option.
     *
     * @param value TSval
     * @param echo TSecr
     * @return this
     */
    public TcpOptions timestamps(int value, int echo) {
        timestamps = true;
        timestampValue = value;
        timestampEcho = echo;
        return this;
    }

    /**
     * Removes the timestamps option.
     *
     * @return this
     */
    public TcpOptions noTimestamps() {
        timestamps = false;
        return this;
    }

    /**
     * Sets the SACK blocks to send.
     *
     * @param edges left and right edges, alternating
     * @param count the number of blocks (0 to 4)
     * @return this
     */
    public TcpOptions sackBlocks(int[] edges, int count) {
        if (count < 0 || count > MAX_SACK_BLOCKS || edges.length < count * 2) {
            throw new IllegalArgumentException("SACK blocks: " + count + " (expected: 0 to 4, with 2 edges each)");
        }
        System.arraycopy(edges, 0, sackEdges, 0, count * 2);
        sackBlockCount = count;
        return this;
    }

    /** Returns how many bytes {@link #write(byte[], int)} writes: a multiple of 4. */
    public int encodedLength() {
        int length = mss >= 0 ? 4 : 0;
        if (timestamps) {
            length += 12;
        } else if (sackPermitted) {
            length += 4;
        }
        if (windowScale >= 0) {
            length += 4;
        }
        if (sackBlockCount > 0) {
            length += 4 + 8 * sackBlockCount;
        }
        return length;
    }

    /**
     * Writes the options.
     *
     * @param buffer where to write
     * @param offset the first byte
     * @return the number of bytes written ({@link #encodedLength()})
     * @throws IllegalArgumentException when they need more than 40 bytes
     */
    public int write(byte[] buffer, int offset) {
        int length = encodedLength();
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("TCP options: " + length + " bytes (expected: at most 40; send "
                + "fewer SACK blocks)");
        }
        int position = offset;
        if (mss >= 0) {
            buffer[position++] = TcpHeader.OPTION_MSS;
            buffer[position++] = 4;
            Ipv4Header.writeShort(buffer, position, mss);
            position += 2;
        }
        if (timestamps) {
            if (sackPermitted) {
                buffer[position++] = TcpHeader.OPTION_SACK_PERMITTED;
                buffer[position++] = 2;
            } else {
                buffer[position++] = TcpHeader.OPTION_NOP;
                buffer[position++] = TcpHeader.OPTION_NOP;
            }
            buffer[position++] = TcpHeader.OPTION_TIMESTAMPS;
            buffer[position++] = 10;
            IpAddresses.writeInt(buffer, position, timestampValue);
            IpAddresses.writeInt(buffer, position + 4, timestampEcho);
            position += 8;
        } else if (sackPermitted) {
            buffer[position++] = TcpHeader.OPTION_NOP;
            buffer[position++] = TcpHeader.OPTION_NOP;
            buffer[position++] = TcpHeader.OPTION_SACK_PERMITTED;
            buffer[position++] = 2;
        }
        if (windowScale >= 0) {
            buffer[position++] = TcpHeader.OPTION_NOP;
            buffer[position++] = TcpHeader.OPTION_WINDOW_SCALE;
            buffer[position++] = 3;
            buffer[position++] = (byte) windowScale;
        }
        if (sackBlockCount > 0) {
            buffer[position++] = TcpHeader.OPTION_NOP;
            buffer[position++] = TcpHeader.OPTION_NOP;
            buffer[position++] = TcpHeader.OPTION_SACK;
            buffer[position++] = (byte) (2 + 8 * sackBlockCount);
            for (int index = 0; index < sackBlockCount * 2; index++) {
                IpAddresses.writeInt(buffer, position, sackEdges[index]);
                position += 4;
            }
        }
        return position - offset;
    }

    private void checkSackIndex(int index) {
        if (index < 0 || index >= sackBlockCount) {
            throw new IndexOutOfBoundsException("SACK block: " + index + " (expected: 0 to " + (sackBlockCount - 1)
                + ")");
        }
    }
}
