package io.pcapreplay.lab.target;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * An HTTP/1.1 connection of the embedded target: keep-alive, pipelining, Content-Length bodies (streamed: an echo
 * never holds a whole body in memory). See {@link EmbeddedTarget} for the paths.
 */
final class HttpConnection extends TargetConnection {
    /** The largest request head accepted. */
    static final int MAX_HEAD = 16 * 1024;
    /** The largest {@code /bytes/N}. */
    static final long MAX_BYTES = 1L << 30;
    static final byte[] ROOT_BODY = "pcap-replay embedded target\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT");
    private static final ByteBuffer PATTERN = pattern();

    private final TargetStats stats;
    private long bodyRemaining;
    private boolean echoBody;
    private ByteBuffer[] deferred;
    private boolean keepAlive;

    HttpConnection(SocketChannel channel, SelectionKey key, TargetStats stats) {
        super(channel, key);
        this.stats = stats;
    }

    @Override
    void consume(ByteBuffer input) {
        while (input.hasRemaining() && !outputFull() && !closing()) {
            if (bodyRemaining > 0) {
                consumeBody(input);
                continue;
            }
            int end = HttpRequestHead.findEnd(input);
            if (end < 0) {
                if (input.remaining() > MAX_HEAD) {
                    fail(new HttpTargetException(431, "request head: more than " + MAX_HEAD + " bytes"));
                }
                return;
            }
            try {
                handle(HttpRequestHead.parse(input, end));
            } catch (HttpTargetException e) {
                fail(e);
                return;
            }
        }
    }

    private void handle(HttpRequestHead head) {
        if (head.chunked()) {
            throw new HttpTargetException(501, "Transfer-Encoding: not supported (expected: Content-Length)");
        }
        keepAlive = head.keepAlive();
        bodyRemaining = head.contentLength();
        if (head.expectContinue() && bodyRemaining > 0) {
            send(ByteBuffer.wrap(CONTINUE));
        }
        echoBody = false;
        boolean headOnly = head.method().equals("HEAD");
        if (!METHODS.contains(head.method())) {
            deferred = response(head, 405, text("method not allowed\n"), headOnly);
        } else if (head.path().equals("/")) {
            deferred = response(head, 200, new ByteBuffer[] {ByteBuffer.wrap(ROOT_BODY)}, headOnly);
        } else if (head.path().equals("/echo")) {
            echoBody = !headOnly;
            send(HttpResponses.header(200, head.contentLength(), keepAlive, head.http11()));
            deferred = new ByteBuffer[0];
        } else if (head.path().startsWith("/bytes/")) {
            long size = number(head.path().substring("/bytes/".length()), 0, MAX_BYTES);
            deferred = size < 0 ? response(head, 400, text("bad size\n"), headOnly)
                    : response(head, 200, patternBody(size), headOnly);
        } else if (head.path().startsWith("/status/")) {
            int status = (int) number(head.path().substring("/status/".length()), 200, 599);
            deferred = status < 0 ? response(head, 400, text("bad status\n"), headOnly)
                    : response(head, status, text("status " + status + "\n"), headOnly);
        } else {
            deferred = response(head, 404, text("not found\n"), headOnly);
        }
        if (bodyRemaining == 0) {
            finishRequest();
        }
    }

    private void consumeBody(ByteBuffer input) {
        int size = (int) Math.min(bodyRemaining, input.remaining());
        if (echoBody) {
            ByteBuffer copy = ByteBuffer.allocate(size);
            int limit = input.limit();
            input.limit(input.position() + size);
            copy.put(input).flip();
            input.limit(limit);
            send(copy);
        } else {
            input.position(input.position() + size);
        }
        bodyRemaining -= size;
        if (bodyRemaining == 0) {
            finishRequest();
        }
    }

    private void finishRequest() {
        for (ByteBuffer buffer : deferred) {
            send(buffer);
        }
        deferred = null;
        stats.request();
        if (!keepAlive) {
            closeAfterOutput();
        }
    }

    private void fail(HttpTargetException e) {
        send(HttpResponses.header(e.status(), e.getMessage().length() + 1, false, true));
        send(ByteBuffer.wrap((e.getMessage() + "\n").getBytes(StandardCharsets.ISO_8859_1)));
        closeAfterOutput();
    }

    private ByteBuffer[] response(HttpRequestHead head, int status, ByteBuffer[] body, boolean headOnly) {
        long length = 0;
        for (ByteBuffer buffer : body) {
            length += buffer.remaining();
        }
        boolean noBody = headOnly || status == 204 || status == 304;
        ByteBuffer header = HttpResponses.header(status, status == 204 ? -1 : length, keepAlive, head.http11());
        if (noBody) {
            return new ByteBuffer[] {header};
        }
        ByteBuffer[] all = new ByteBuffer[body.length + 1];
        all[0] = header;
        System.arraycopy(body, 0, all, 1, body.length);
        return all;
    }

    private static ByteBuffer[] text(String body) {
        return new ByteBuffer[] {ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII))};
    }

    private static ByteBuffer[] patternBody(long size) {
        int chunk = PATTERN.capacity();
        ByteBuffer[] body = new ByteBuffer[(int) ((size + chunk - 1) / chunk)];
        for (int i = 0; i < body.length; i++) {
            ByteBuffer slice = PATTERN.duplicate();
            slice.limit((int) Math.min(chunk, size - (long) i * chunk));
            body[i] = slice;
        }
        return body;
    }

    /** A decimal number in [min, max], or -1. */
    private static long number(String text, long min, long max) {
        if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value < min || value > max ? -1 : value;
    }

    private static ByteBuffer pattern() {
        byte[] bytes = new byte[64 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
