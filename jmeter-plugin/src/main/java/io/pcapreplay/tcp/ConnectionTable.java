package io.pcapreplay.tcp;

import java.util.Arrays;
import java.util.function.Consumer;

/**
  * The engine's connection table: an open-addressing hash map from a packed address/port {@code long} to a value,
  * with linear probing and backward-shift deletion (no tombstones), so lookups stay short under churn and a million
  * entries cost two arrays, not a million map entries. Key 0 is reserved. Not thread-safe: only the event loop uses
  * it.
  *
  * @param <V> the value type
  */
public final class ConnectionTable<V> {

    private static final int MAX_CAPACITY = 1 << 30;

    private long[] keys;
    private Object[] values;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;

    /** Creates a table sized for {@code expectedSize} entries without growing. */
    public ConnectionTable(int expectedSize) {
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expected table size: " + expectedSize + " (expected: >= 0)");
        }
        allocate(capacityFor(expectedSize));
    }

    /** Packs an IPv4 address and a port into a key. */
    public static long ipv4Key(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    /** The value stored under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int index = indexOf(key);
        return index < 0 ? null : (V) values[index];
    }

    /** Stores a value; returns the previous one, or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("connection table value: null (expected: an object; use remove)");
        }
        int index = slot(key);
        while (keys[index] != 0) {
            if (keys[index] == key) {
                V previous = (V) values[index];
                values[index] = value;
                return previous;
            }
            index = (index + 1) & mask;
        }
        keys[index] = key;
        values[index] = value;
        if (++size > resizeAt) {
            grow();
        }
        return null;
    }

    /** Removes the entry for {@code key}; returns its value, or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int index = indexOf(key);
        if (index < 0) {
            return null;
        }
        V previous = (V) values[index];
        shiftBack(index);
        size--;
        return previous;
    }

    /** Calls {@code action} for every value (the table must not be changed meanwhile). */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    /** Removes every entry. */
    public void clear() {
        Arrays.fill(keys, 0L);
        Arrays.fill(values, null);
        size = 0;
    }

    private int indexOf(long key) {
        checkKey(key);
        int index = slot(key);
        while (keys[index] != 0) {
            if (keys[index] == key) {
                return index;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    private void shiftBack(int hole) {
        int free = hole;
        int index = (hole + 1) & mask;
        while (keys[index] != 0) {
            int home = slot(keys[index]);
            // move the entry into the free slot when its home is not cyclically in (free, index]
            if (((index - home) & mask) >= ((index - free) & mask)) {
                keys[free] = keys[index];
                values[free] = values[index];
                free = index;
            }
            index = (index + 1) & mask;
        }
        keys[free] = 0;
        values[free] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        if (oldKeys.length >= MAX_CAPACITY) {
            throw new IllegalStateException("connection table: " + size + " entries (expected: at most "
                    + (MAX_CAPACITY / 4 * 3) + ")");
        }
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int index = slot(oldKeys[i]);
                while (keys[index] != 0) {
                    index = (index + 1) & mask;
                }
                keys[index] = oldKeys[i];
                values[index] = oldValues[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = capacity / 4 * 3;
    }

    private int slot(long key) {
        // Fibonacci hashing: the top bits of the product depend on every key bit
        return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> shift);
    }

    private static int capacityFor(int expectedSize) {
        long needed = Math.max(16L, (long) Math.ceil(expectedSize / 0.75) + 1);
        long capacity = Long.highestOneBit(needed);
        if (capacity < needed) {
            capacity <<= 1;
        }
        return (int) Math.min(capacity, MAX_CAPACITY);
    }

    private static void checkKey(long key) {
        if (key == 0) {
            throw new IllegalArgumentException("connection key: 0 (expected: a packed address/port, never 0)");
        }
    }
}
