package io.pcapreplay.packet;

/**
 * The Internet checksum (RFC 1071): a 16-bit one's complement sum of 16-bit big-endian words, complemented.
 *
 * <p>Sums are accumulated unfolded in a {@code long} so that pieces can be added one after the other
 * ({@link #add(long, byte[], int, int)}, {@link #addShort(long, int)} ...) and folded once with
 * {@link #finish(long)}. Only the last piece may have an odd length. {@link #update(int, int, int)} adjusts a
 * checksum when one 16-bit word changes (RFC 1624). A header whose sum, including its checksum field, finishes
 * to 0 is valid.
 */
public final class Checksum {

    private Checksum() {
    }

    /**
     * Adds bytes to a running sum; an odd last byte is padded with a zero byte.
     *
     * @param sum the running sum (0 to start)
     * @param buffer the bytes
     * @param offset where to start
     * @param length how many bytes
     * @return the new running sum
     */
    public static long add(long sum, byte[] buffer, int offset, int length) {
        long result = sum;
        int end = offset + length;
        int index = offset;
        for (; index + 3 < end; index += 4) {
            result += ((buffer[index] & 0xFFL) << 8 | (buffer[index + 1] & 0xFF))
                + ((buffer[index + 2] & 0xFFL) << 8 | (buffer[index + 3] & 0xFF));
        }
        for (; index + 1 < end; index += 2) {
            result += (buffer[index] & 0xFFL) << 8 | (buffer[index + 1] & 0xFF);
        }
        if (index < end) {
            result += (buffer[index] & 0xFFL) << 8;
        }
        return result;
    }

    /**
     * Adds a 16-bit word.
     *
     * @param sum the running sum
     * @param value the word (low 16 bits used)
     * @return the new running sum
     */
    public static long addShort(long sum, int value) {
        return sum + (value & 0xFFFF);
    }

    /**
     * Adds a 32-bit value as two 16-bit words.
     *
     * @param sum the running sum
     * @param value the value
     * @return the new running sum
     */
    public static long addInt(long sum, int value) {
        return sum + (value >>> 16) + (value & 0xFFFF);
    }

    /**
     * Adds a 64-bit value as four 16-bit words.
     *
     * @param sum the running sum
     * @param value the value
     * @return the new running sum
     */
    public static long addLong(long sum, long value) {
        return addInt(addInt(sum, (int) (value >>> 32)), (int) value);
    }

    /**
     * Folds a running sum to 16 bits (one's complement addition of the carries), without complementing.
     *
     * @param sum the running sum
     * @return the folded sum in [0, 0xFFFF]
     */
    public static int fold(long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int) folded;
    }

    /**
     * Folds and complements a running sum: the value to store in a checksum field, or 0 when checking a header
     * whose sum included a valid checksum field.
     *
     * @param sum the running sum
     * @return the checksum in [0, 0xFFFF]
     */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * Computes the checksum of a byte range.
     *
     * @param buffer the bytes
     * @param offset where to start
     * @param length how many bytes
     * @return the checksum
     */
    public static int compute(byte[] buffer, int offset, int length) {
        return finish(add(0, buffer, offset, length));
    }

    /**
     * Sum of the IPv4 pseudo-header used by TCP and UDP.
     *
     * @param source the IPv4 source address
     * @param destination the IPv4 destination address
     * @param protocol the protocol number (6 for TCP)
     * @param length the transport length (header and payload)
     * @return the running sum
     */
    public static long pseudoHeaderV4(int source, int destination, int protocol, int length) {
        return addShort(addShort(addInt(addInt(0, source), destination), protocol), length);
    }

    /**
     * Sum of the IPv6 pseudo-header (RFC 8200 section 8.1).
     *
     * @param sourceHigh high 64 bits of the source address
     * @param sourceLow low 64 bits of the source address
     * @param destinationHigh high 64 bits of the destination address
     * @param destinationLow low 64 bits of the destination address
     * @param protocol the upper-layer protocol number
     * @param length the upper-layer packet length
     * @return the running sum
     */
    public static long pseudoHeaderV6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
                                      int protocol, long length) {
        long sum = addLong(addLong(0, sourceHigh), sourceLow);
        sum = addLong(addLong(sum, destinationHigh), destinationLow);
        return addInt(addInt(sum, (int) length), protocol);
    }

    /**
     * Adjusts a checksum for one changed 16-bit word (RFC 1624, eqn. 3: {@code HC' = ~(~HC + ~m + m')}).
     *
     * @param checksum the current checksum field value
     * @param oldWord the old word
     * @param newWord the new word
     * @return the new checksum field value
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(sum);
    }
}
