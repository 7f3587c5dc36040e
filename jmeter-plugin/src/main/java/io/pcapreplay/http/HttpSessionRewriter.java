package io.pcapreplay.http;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.Problem;
import io.pcapreplay.pcap.RecordedSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds a rewritten {@link RecordedSession} from a recorded one and {@link RewriteRules}: the HTTP/1.x requests of
 * the client stream are parsed in order (pipelined and keep-alive alike), filtered, and rewritten (start line,
 * headers, body; Content-Length follows a rewritten body, a chunked body is re-chunked). The exchanges keep their
 * recorded responses and times; an exchange whose requests were all excluded is dropped with its response (the rest
 * of the keep-alive session is replayed, as goreplay does), its time going to the next exchange's think time. In a
 * pipelined exchange the responses of excluded requests are cut out when the recorded responses can be framed.
 *
 * <p>A session whose first request is not HTTP/1.x is returned as it is, as is one the rules leave unchanged.
 * Bytes after an unparsable request, an incomplete one, or an upgrade ({@code CONNECT}, {@code Upgrade:}) are
 * replayed as recorded. Thread-safe and stateless apart from the rules: call once per distinct session and rules.
 */
public final class HttpSessionRewriter {

    private final RequestRewriter rewriter;
    private final RewriteRules rules;

    /**
     * @param rules the rules
     */
    public HttpSessionRewriter(RewriteRules rules) {
        this.rules = rules;
        this.rewriter = new RequestRewriter(rules);
    }

    /** Returns the rules: the rules. */
    public RewriteRules rules() {
        return rules;
    }

    /** A piece of the recorded client stream and what becomes of it. */
    private record Segment(int start, int end, byte[] replacement, boolean dropped) {
        boolean verbatim() {
            return replacement == null && !dropped;
        }

        int newLength() {
            return dropped ? 0 : replacement != null ? replacement.length : end - start;
        }
    }

    /** A request found in the client stream. */
    private record Request(int start, String method, boolean allowed) {
    }

    /**
     * Rewrites a session.
     *
     * @param session the recorded session
     * @return the same session when it is not HTTP or nothing changes; else the rewritten one (possibly with no
     *     exchange when every request was excluded)
     */
    public RecordedSession rewrite(RecordedSession session) {
        if (rules.isEmpty() || !isHttp(session)) {
            return session;
        }
        byte[] client = bytes(session.clientStream());
        List<Segment> segments = new ArrayList<>();
        List<Request> requests = new ArrayList<>();
        segment(client, segments, requests);
        if (segments.stream().allMatch(Segment::verbatim)) {
            return session;
        }
        int[] newStarts = new int[segments.size() + 1];
        ByteArrayOutputStream stream = new ByteArrayOutputStream(client.length + 256);
        for (int index = 0; index < segments.size(); index++) {
            Segment segment = segments.get(index);
            newStarts[index] = stream.size();
            if (segment.replacement() != null && !segment.dropped()) {
                stream.writeBytes(segment.replacement());
            } else if (segment.verbatim()) {
                stream.write(client, segment.start(), segment.end() - segment.start());
            }
        }
        newStarts[segments.size()] = stream.size();
        return build(session, stream.toByteArray(), segments, newStarts, requests);
    }

    /** Tells whether the session's first request looks like HTTP/1.x: whether it does. */
    public static boolean isHttp(RecordedSession session) {
        for (Exchange exchange : session.exchanges()) {
            if (exchange.requestLength() > 0) {
                byte[] request = bytes(exchange.request());
                return HttpHead.startsLikeRequest(request, 0, request.length);
            }
        }
        return false;
    }

    private void segment(byte[] client, List<Segment> segments, List<Request> requests) {
        int position = 0;
        while (position < client.length) {
            HttpHead head = HttpHead.parseRequest(client, position, client.length);
            if (head == null) {
                break;
            }
            int end = HttpFraming.requestEnd(client, position, head, client.length);
            boolean complete = end != HttpFraming.INCOMPLETE;
            if (!complete) {
                end = client.length; // cut by the capture's end: the body goes as recorded
            }
            boolean allowed = rewriter.allows(head);
            requests.add(new Request(position, head.method(), allowed));
            if (!allowed) {
                segments.add(new Segment(position, end, null, true));
            } else {
                byte[] body = complete ? rewriter.body(client, position, head, end) : null;
                byte[] newHead = rewriter.head(head, body == null || head.chunked() ? -1 : body.length);
                int bodyStart = position + head.length();
                segments.add(new Segment(position, bodyStart, newHead, false));
                if (end > bodyStart || body != null) {
                    segments.add(new Segment(bodyStart, end, body, false));
                }
            }
            position = end;
            if (upgrades(head)) {
                break;
            }
        }
        if (position < client.length) {
            segments.add(new Segment(position, client.length, null, false));
        }
    }

    private static boolean upgrades(HttpHead head) {
        String connection = head.header("Connection");
        return "CONNECT".equals(head.method()) || head.header("Upgrade") != null && connection != null
            && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    /** Maps a recorded client-stream offset to the rewritten stream (inside a replaced piece: its end). */
    private static int map(int offset, List<Segment> segments, int[] newStarts) {
        for (int index = 0; index < segments.size(); index++) {
            Segment segment = segments.get(index);
            if (offset < segment.start() || offset >= segment.end()) {
                continue;
            }
            if (offset == segment.start()) {
                return newStarts[index];
            }
            return segment.verbatim() ? newStarts[index] + offset - segment.start() : newStarts[index + 1];
        }
        return newStarts[segments.size()];
    }

    private RecordedSession build(RecordedSession session, byte[] client, List<Segment> segments, int[] newStarts,
            List<Request> requests) {
        RecordedSession.Builder builder = RecordedSession.builder(session.client(), session.server())
            .synSeen(session.synSeen()).handshake(session.clientOptions(), session.serverOptions())
            .timing(session.startNanos(), session.durationNanos()).close(session.close())
            .statistics(session.statistics());
        for (Problem problem : session.problems()) {
            builder.problem(problem);
        }
        long previousEnd = session.exchangeCount() == 0 ? 0
            : session.exchange(0).startOffsetNanos() - session.exchange(0).thinkTimeNanos();
        for (Exchange exchange : session.exchanges()) {
            int start = map(exchange.requestOffset(), segments, newStarts);
            int end = map(exchange.requestOffset() + exchange.requestLength(), segments, newStarts);
            if (exchange.requestLength() > 0 && end <= start) {
                continue; // every request of this exchange was excluded: drop it with its response
            }
            byte[] response = response(exchange, requests);
            long think = exchange.index() == 0 || exchange.requestLength() == 0 ? exchange.thinkTimeNanos()
                : Math.max(exchange.thinkTimeNanos(), exchange.startOffsetNanos() - previousEnd);
            builder.exchange(Arrays.copyOfRange(client, start, end), response, think, exchange.startOffsetNanos(),
                exchange.responseEndOffsetNanos());
            previousEnd = exchange.responseEndOffsetNanos();
        }
        return builder.build();
    }

    /** The recorded response, less the responses of excluded requests of a pipelined exchange when they frame. */
    private static byte[] response(Exchange exchange, List<Request> requests) {
        byte[] recorded = bytes(exchange.response());
        int from = exchange.requestOffset();
        int to = from + exchange.requestLength();
        List<Request> here = requests.stream().filter(request -> request.start() >= from && request.start() < to)
            .toList();
        if (here.stream().allMatch(Request::allowed)) {
            return recorded;
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream(recorded.length);
        int position = 0;
        for (Request request : here) {
            int start = position;
            HttpHead head = HttpHead.parseResponse(recorded, position, recorded.length);
            while (head != null && head.status() < 200 && head.status() != 101) {
                position += head.length(); // interim 1xx responses belong to the request that follows
                head = HttpHead.parseResponse(recorded, position, recorded.length);
            }
            if (head == null) {
                return recorded;
            }
            int end = HttpFraming.responseEnd(recorded, position, head, request.method(), recorded.length);
            if (end == HttpFraming.INCOMPLETE) {
                return recorded;
            }
            if (request.allowed()) {
                kept.write(recorded, start, end - start);
            }
            position = end;
        }
        return kept.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
