package io.pcapreplay.http;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads goreplay's {@code .gor} files (and {@code .gor.gz}) into {@link RecordedSession}s. Supported: the format of
 * goreplay 1.x ({@code --output-file}): records separated by {@code "\n🐵🙈🙉\n"}, each a header line
 * {@code TYPE ID TIMESTAMP [LATENCY]} (type 1 request, 2 recorded response, 3 replayed response; timestamps and
 * latencies in ns since the epoch), then the payload.
 *
 * <p>Connections: goreplay 1.3+ IDs are 24 hex digits, client port (4), server port (4), client IPv4 (8) and a
 * sequence number (8): the records whose IDs share the first 16 digits are one connection, replayed as one session
 * (its requests in time order, each with the response of the same ID). Older files have random IDs: each request
 * and its response becomes a session of its own (goreplay itself replays them over a pool of connections). The
 * server address is not in the file: sessions are recorded to 0.0.0.0 (set a target); the server port is the one in
 * the ID, else the Host header's, else 80. Type 3 records are skipped; a response without its request is skipped
 * and counted.
 */
public final class GorFileReader {

    /** The record separator without its leading newline (the newline ends the payload). */
    static final byte[] SEPARATOR = "🐵🙈🙉\n".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_RECORD = 64 << 20;
    private static final int CONNECTION_DIGITS = 16;

    /** One record of the file. */
    record GorRecord(char type, String id, long timestampNanos, long latencyNanos, byte[] payload) {
    }

    /**
     * What a file held.
     *
     * @param sessions the sessions, in first-request order
     * @param requests request records
     * @param responses recorded response records used
     * @param skipped replayed responses (type 3) and responses without their request
     */
    public record GorFile(List<RecordedSession> sessions, int requests, int responses, int skipped) {
    }

    /**
     * Tells whether a file is read by this reader: its name ends with {@code .gor} or {@code .gor.gz}.
     *
     * @param file the file
     * @return whether it does
     */
    public static boolean handles(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".gor") || name.endsWith(".gor.gz");
    }

    /**
     * Reads a file.
     *
     * @param file the {@code .gor} file ({@code .gz}: gzip)
     * @param serverPort recorded server port to keep, 0 for all
     * @return its sessions and counts
     * @throws CaptureException when the file is missing, unreadable, malformed, or holds no request
     */
    public GorFile read(Path file, int serverPort) throws CaptureException {
        List<GorRecord> records;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream input = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            records = records(input, file);
        } catch (NoSuchFileException e) {
            throw new CaptureException("goreplay file: " + file + " not found (expected: a .gor file written by "
                + "goreplay --output-file)", e);
        } catch (IOException e) {
            throw new CaptureException("goreplay file: " + file + ": " + e.getMessage() + " (expected: a readable "
                + ".gor file, gzip when named .gz)", e);
        }
        return sessions(records, file, serverPort);
    }

    static List<GorRecord> records(InputStream input, Path file) throws IOException, CaptureException {
        List<GorRecord> records = new ArrayList<>();
        ByteArrayOutputStream record = new ByteArrayOutputStream(4096);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int value;
        while (true) {
            value = input.read();
            if (value >= 0) {
                line.write(value);
                if (value != '\n') {
                    continue;
                }
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            if (java.util.Arrays.equals(bytes, SEPARATOR)) {
                records.add(parse(record.toByteArray(), file, records.size() + 1));
                record.reset();
            } else {
                record.write(bytes, 0, bytes.length);
                if (record.size() > MAX_RECORD) {
                    throw new CaptureException("goreplay file: " + file + ": record " + (records.size() + 1)
                        + " longer than " + MAX_RECORD + " bytes (expected: records separated by the line "
                        + "'🐵🙈🙉')");
                }
            }
            if (value < 0) {
                break;
            }
        }
        if (record.size() > 0 && !new String(record.toByteArray(), StandardCharsets.ISO_8859_1).isBlank()) {
            records.add(parse(record.toByteArray(), file, records.size() + 1)); // last record without separator
        }
        return records;
    }

    private static GorRecord parse(byte[] bytes, Path file, int number) throws CaptureException {
        int newline = 0;
        while (newline < bytes.length && bytes[newline] != '\n') {
            newline++;
        }
        String header = new String(bytes, 0, newline, StandardCharsets.ISO_8859_1);
        String[] fields = header.split(" ");
        if (newline >= bytes.length || fields.length < 3 || fields[0].length() != 1
                || "123".indexOf(fields[0].charAt(0)) < 0) {
            throw new CaptureException("goreplay file: " + file + ": record " + number + " header '"
                + abbreviate(header) + "' (expected: 'TYPE ID TIMESTAMP [LATENCY]', type 1, 2 or 3)");
        }
        long timestamp;
        long latency;
        try {
            timestamp = Long.parseLong(fields[2]);
            latency = fields.length > 3 && !fields[3].isEmpty() ? Long.parseLong(fields[3]) : 0;
        } catch (NumberFormatException e) {
            throw new CaptureException("goreplay file: " + file + ": record " + number + " header '"
                + abbreviate(header) + "' (expected: timestamp and latency in ns, whole numbers)", e);
        }
        int payloadEnd = bytes.length > newline + 1 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1
            : bytes.length; // the newline before the separator is not payload
        byte[] payload = java.util.Arrays.copyOfRange(bytes, newline + 1, Math.max(newline + 1, payloadEnd));
        return new GorRecord(fields[0].charAt(0), fields[1], timestamp, Math.max(0, latency), payload);
    }

    private static GorFile sessions(List<GorRecord> records, Path file, int serverPort) throws CaptureException {
        Map<String, GorRecord> responses = new HashMap<>();
        Map<String, List<GorRecord>> connections = new LinkedHashMap<>();
        int requests = 0;
        int skipped = 0;
        for (GorRecord record : records) {
            switch (record.type()) {
                case '1' -> {
                    connections.computeIfAbsent(connectionKey(record.id()), key -> new ArrayList<>()).add(record);
                    requests++;
                }
                case '2' -> responses.putIfAbsent(record.id(), record);
                default -> skipped++;
            }
        }
        if (requests == 0) {
            throw new CaptureException("goreplay file: " + file + ": " + records.size() + " records, no request "
                + "(expected: type 1 records, as goreplay --output-file writes them)");
        }
        List<RecordedSession> sessions = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, List<GorRecord>> connection : connections.entrySet()) {
            List<GorRecord> ordered = new ArrayList<>(connection.getValue());
            ordered.sort(Comparator.comparingLong(GorRecord::timestampNanos));
            RecordedSession session = session(connection.getKey(), ordered, responses);
            used += (int) ordered.stream().filter(request -> responses.containsKey(request.id())).count();
            if (serverPort == 0 || session.server().port() == serverPort) {
                sessions.add(session);
            }
        }
        skipped += responses.size() - used;
        sessions.sort(Comparator.comparingLong(RecordedSession::startNanos));
        return new GorFile(List.copyOf(sessions), requests, used, skipped);
    }

    /** The first 16 hex digits of a goreplay 1.3+ ID name the connection; any other ID is its own. */
    static String connectionKey(String id) {
        return id.length() == 24 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0)
            ? id.substring(0, CONNECTION_DIGITS) : id;
    }

    private static RecordedSession session(String key, List<GorRecord> requests, Map<String, GorRecord> responses) {
        GorRecord first = requests.get(0);
        Endpoint client = client(key);
        Endpoint server = new Endpoint(anyAddress(), serverPort(key, first.payload()));
        long start = first.timestampNanos();
        RecordedSession.Builder builder = RecordedSession.builder(client, server).synSeen(false);
        long previousEnd = start;
        for (GorRecord request : requests) {
            GorRecord response = responses.get(request.id());
            long offset = Math.max(0, request.timestampNanos() - start);
            long responseEnd = response == null ? offset + request.latencyNanos()
                : Math.max(offset, response.timestampNanos() - start + response.latencyNanos());
            builder.exchange(request.payload(), response == null ? new byte[0] : response.payload(),
                Math.max(0, offset - previousEnd), offset, responseEnd);
            previousEnd = Math.max(offset, responseEnd);
        }
        builder.timing(start, previousEnd).close(new SessionClose(CloseKind.FIN, Side.CLIENT, previousEnd));
        return builder.build();
    }

    private static Endpoint client(String key) {
        if (key.length() != CONNECTION_DIGITS) {
            return new Endpoint(anyAddress(), 0);
        }
        long stream = Long.parseUnsignedLong(key, 16);
        byte[] address = {(byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        try {
            return new Endpoint(InetAddress.getByAddress(address), (int) (stream >>> 48));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int serverPort(String key, byte[] request) {
        if (key.length() == CONNECTION_DIGITS) {
            int port = (int) (Long.parseUnsignedLong(key, 16) >>> 32) & 0xffff;
            if (port != 0) {
                return port;
            }
        }
        HttpHead head = HttpHead.parseRequest(request, 0, request.length);
        String host = head == null ? null : head.header("Host");
        if (host != null && host.matches(".*:\\d{1,5}")) {
            int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
            if (port > 0 && port <= 65535) {
                return port;
            }
        }
        return 80;
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
