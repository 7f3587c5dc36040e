package io.pcapreplay.lab.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One accepted connection of the embedded target: its channel, the output not written yet, and the input not
 * consumed yet (kept only while there is some: a connection at rest holds no buffers).
 */
abstract class TargetConnection {
    /** Stop reading while this much output waits (back pressure). */
    static final int OUTPUT_HIGH_WATER = 256 * 1024;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private long outputBytes;
    private ByteBuffer pendingInput;
    private boolean closeAfterOutput;
    private boolean stalled;
    private boolean inputEnded;

    TargetConnection(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    /**
     * Consumes input; what it leaves in {@code input} is kept for the next call. It may stop early when
     * {@link #outputFull()}: the rest is consumed once the output drained.
     *
     * @param input bytes read (possibly with earlier leftovers first)
     */
    abstract void consume(ByteBuffer input);

    /** Called when the peer closed its side. */
    void onEndOfInput() {
        closeAfterOutput();
    }

    /** Reads what is available into the shared buffer and consumes it. */
    final void onReadable(ByteBuffer shared) throws IOException {
        shared.clear();
        int read = channel.read(shared);
        if (read < 0) {
            inputEnded = true;
            onEndOfInput();
        } else {
            shared.flip();
            ByteBuffer input = shared;
            if (pendingInput != null) {
                pendingInput = append(pendingInput, shared);
                input = pendingInput;
            }
            process(input);
        }
        drain();
    }

    /** Writes pending output, then consumes input left over by back pressure. */
    final void onWritable() throws IOException {
        drain();
    }

    final void send(ByteBuffer buffer) {
        if (buffer.hasRemaining()) {
            output.add(buffer);
            outputBytes += buffer.remaining();
        }
    }

    final boolean outputFull() {
        return outputBytes >= OUTPUT_HIGH_WATER;
    }

    /** Closes the connection once the pending output is written; no more input is consumed. */
    final void closeAfterOutput() {
        closeAfterOutput = true;
        pendingInput = null;
        stalled = false;
    }

    /** True once the connection closes after its pending output. */
    final boolean closing() {
        return closeAfterOutput;
    }

    final void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void process(ByteBuffer input) {
        if (!closeAfterOutput) {
            consume(input);
        }
        if (closeAfterOutput || !input.hasRemaining()) {
            pendingInput = null;
            stalled = false;
            return;
        }
        stalled = outputFull();
        if (input != pendingInput) {
            pendingInput = ByteBuffer.allocate(Math.max(input.remaining(), 1024)).put(input).flip();
        } else {
            pendingInput.compact().flip();
        }
    }

    private void drain() throws IOException {
        flush();
        while (stalled && output.isEmpty() && key.isValid()) {
            process(pendingInput);
            flush();
        }
        if (!key.isValid()) {
            return;
        }
        if (output.isEmpty() && closeAfterOutput) {
            close();
            return;
        }
        int interest = stalled || closeAfterOutput || inputEnded || outputFull() ? 0 : SelectionKey.OP_READ;
        if (!output.isEmpty()) {
            interest |= SelectionKey.OP_WRITE;
        }
        key.interestOps(interest);
    }

    private void flush() throws IOException {
        while (!output.isEmpty()) {
            ByteBuffer head = output.peek();
            int written = channel.write(head);
            outputBytes -= written;
            if (head.hasRemaining()) {
                return;
            }
            output.poll();
        }
    }

    private static ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
        if (pending.capacity() - pending.limit() >= more.remaining()) {
            int position = pending.position();
            pending.position(pending.limit()).limit(pending.limit() + more.remaining());
            pending.put(more).position(position);
            return pending;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.remaining() + more.remaining(),
                pending.capacity() * 2));
        bigger.put(pending).put(more).flip();
        return bigger;
    }
}
