package io.pcapreplay.distribution;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Clients whose sessions depend on each other, run in the lab's client namespace against the recording servers of
 * {@link StatefulServers}: each scenario opens all its connections first, then sends each request right after the
 * answer it depends on came, on another connection (the sessions overlap; only the exchanges are ordered):
 * <ol>
 *   <li>HTTP: {@code PUT /dav/item.txt} (64 KiB) on one connection, then {@code DELETE} of it on another: no file;</li>
 *   <li>memcached: {@code set item} on one connection, then {@code append item} and {@code get item} on another:
 *   {@code hello world};</li>
 *   <li>PostgreSQL (the wire protocol's simple queries): {@code CREATE TABLE items} in one session, an
 *   {@code INSERT} in a second, an {@code INSERT ... SELECT max(id) + 1} in a third: rows 1 and 2.</li>
 * </ol>
 * Replayed in another order, each ends in another state (a file left, {@code hello}, an error and missing rows).
 */
final class DependentClients {

    static final String ITEM_PATH = "/dav/item.txt";
    static final String MEMCACHED_VALUE = "hello world";
    static final String POSTGRES_ROWS = "1:first,2:second";
    static final String POSTGRES_QUERY = "SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM items";
    private static final int TIMEOUT_MILLIS = 10_000;

    private DependentClients() {
    }

    /** Runs the three scenarios, one after the other, from the client namespace. */
    static void record(Lab lab) {
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        lab.client().call(() -> {
            http(target);
            memcached(target);
            postgres(target);
            return null;
        });
    }

    private static void http(InetAddress target) throws IOException {
        try (Socket put = open(target, StatefulServers.HTTP_RECORDING);
             Socket delete = open(target, StatefulServers.HTTP_RECORDING)) {
            byte[] body = new byte[64 * 1024];
            Arrays.fill(body, (byte) 'x');
            String head = "PUT " + ITEM_PATH + " HTTP/1.1\r\nHost: lab\r\nContent-Length: " + body.length
                + "\r\n\r\n";
            put.getOutputStream().write(concat(head.getBytes(StandardCharsets.US_ASCII), body));
            expectStatus(put.getInputStream(), "201");
            delete.getOutputStream().write(("DELETE " + ITEM_PATH + " HTTP/1.1\r\nHost: lab\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            expectStatus(delete.getInputStream(), "204");
        }
    }

    private static void memcached(InetAddress target) throws IOException {
        try (Socket setter = open(target, StatefulServers.MEMCACHED_RECORDING);
             Socket appender = open(target, StatefulServers.MEMCACHED_RECORDING)) {
            expectLine(command(setter, "set item 0 0 5\r\nhello"), "STORED");
            expectLine(command(appender, "append item 0 0 6\r\n world"), "STORED");
            String got = command(appender, "get item");
            if (!got.contains(MEMCACHED_VALUE)) {
                throw new IOException("memcached get item: " + got + " (expected: " + MEMCACHED_VALUE + ")");
            }
        }
    }

    private static void postgres(InetAddress target) throws IOException {
        try (Postgres creator = new Postgres(target, StatefulServers.POSTGRES_RECORDING);
             Postgres first = new Postgres(target, StatefulServers.POSTGRES_RECORDING);
             Postgres second = new Postgres(target, StatefulServers.POSTGRES_RECORDING)) {
            creator.query("CREATE TABLE items (id int PRIMARY KEY, note text)");
            first.query("INSERT INTO items VALUES (1, 'first')");
            second.query("INSERT INTO items SELECT max(id) + 1, 'second' FROM items");
        }
    }

    /**
     * Sends one memcached text command from the client namespace and reads its answer.
     *
     * @return the answer (one line, or a {@code get}'s lines up to END)
     */
    static String memcached(Lab lab, int port, String command) {
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        return lab.client().call(() -> {
            try (Socket socket = open(target, port)) {
                return command(socket, command);
            }
        });
    }

    private static String command(Socket socket, String command) throws IOException {
        socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        while (true) {
            String line = readLine(in);
            answer.append(line).append('\n');
            if (!line.startsWith("VALUE ") && !command.startsWith("get") || line.equals("END")) {
                return answer.toString().strip();
            }
        }
    }

    private static void expectLine(String answer, String expected) throws IOException {
        if (!answer.equals(expected)) {
            throw new IOException("memcached answer: " + answer + " (expected: " + expected + ")");
        }
    }

    /** Reads an HTTP response's head and its Content-Length body; fails unless the status is as expected. */
    private static void expectStatus(InputStream in, String status) throws IOException {
        String statusLine = readLine(in);
        int length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        if (!statusLine.split(" ")[1].equals(status)) {
            throw new IOException("HTTP answer: " + statusLine + " (expected: status " + status + ")");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed within a line: " + line);
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(next);
            previous = next;
        }
    }

    private static Socket open(InetAddress target, int port) throws IOException {
        Socket socket = new Socket(target, port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /**
     * A PostgreSQL session speaking protocol 3.0 (no SSL, trust authentication): startup, simple queries, terminate.
     */
    private static final class Postgres implements Closeable {

        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        Postgres(InetAddress target, int port) throws IOException {
            socket = open(target, port);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
            byte[] parameters = ("user\0postgres\0database\0" + StatefulServers.DATABASE + "\0\0")
                .getBytes(StandardCharsets.US_ASCII);
            out.writeInt(8 + parameters.length);
            out.writeInt(196_608); // protocol 3.0
            out.write(parameters);
            out.flush();
            awaitReady("startup");
        }

        void query(String sql) throws IOException {
            byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte('Q');
            out.writeInt(4 + text.length);
            out.write(text);
            out.flush();
            awaitReady(sql);
        }

        /** Reads messages up to ReadyForQuery; fails on an ErrorResponse or an authentication request. */
        private void awaitReady(String what) throws IOException {
            String error = null;
            while (true) {
                int type = in.readUnsignedByte();
                byte[] body = in.readNBytes(in.readInt() - 4);
                if (type == 'E') {
                    error = new String(body, StandardCharsets.UTF_8).replace('\0', ' ');
                } else if (type == 'R' && body.length >= 4 && body[3] != 0) {
                    throw new IOException("postgres " + what + ": authentication requested (expected: trust)");
                } else if (type == 'Z') {
                    if (error != null) {
                        throw new IOException("postgres " + what + ": " + error);
                    }
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.writeByte('X');
                out.writeInt(4);
                out.flush();
            } finally {
                socket.close();
            }
        }
    }

    /** The ports the scenarios record on: {@code serverPort} of the plan. */
    static List<Integer> recordedPorts() {
        return List.of(StatefulServers.HTTP_RECORDING, StatefulServers.MEMCACHED_RECORDING,
            StatefulServers.POSTGRES_RECORDING);
    }
}
