package io.pcapreplay.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * nginx (Debian's) in a lab host, with its own configuration in the lab's work directory: {@code daemon off},
 * master process with {@value #WORKERS} workers, {@code reuseport}, listening on every address (IPv4 and IPv6).
 * Serves {@link #STATIC_FILES} (GET/HEAD), and {@code /post} which answers 200 "ok\n" to any method (POST bodies
 * are read and discarded). The access log has the format {@link #LOG_FORMAT}, one line per request, parsed by
 * {@link #accessLog()}.
 */
public final class NginxServer implements AutoCloseable {
    /** Worker processes. */
    public static final int WORKERS = 2;
    /** The access log format: {@code addr:port "request line" status request_length body_bytes connection n}. */
    public static final String LOG_FORMAT = "$remote_addr:$remote_port \"$request\" $status $request_length "
            + "$body_bytes_sent $connection $connection_requests";
    /** The location that accepts POST (and any method) and answers 200. */
    public static final String POST_PATH = "/post";
    /** The static files served: path to size in bytes ({@code /} is index.html). */
    public static final Map<String, Integer> STATIC_FILES = staticFiles();

    private final LabProcess process;
    private final Path directory;
    private final int port;

    private NginxServer(LabProcess process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    static NginxServer start(LabHost host, int port, Duration timeout) {
        Path directory = host.newDirectory("nginx");
        try {
            Path html = Files.createDirectories(directory.resolve("html"));
            for (Map.Entry<String, Integer> file : STATIC_FILES.entrySet()) {
                String name = file.getKey().equals("/") ? "index.html" : file.getKey().substring(1);
                Files.write(html.resolve(name), content(file.getValue()));
            }
            Files.createDirectories(directory.resolve("temp"));
            Files.writeString(directory.resolve("nginx.conf"), config(directory, port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("nginx directory " + directory + ": cannot write: " + e.getMessage(), e);
        }
        LabProcess process = host.start("nginx", "-p", directory.toString(), "-c",
                directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        process.awaitPort(port, timeout);
        return new NginxServer(process, directory, port);
    }

    public int port() {
        return port;
    }

    public LabProcess process() {
        return process;
    }

    /** The access log file. */
    public Path accessLogFile() {
        return directory.resolve("access.log");
    }

    /** The error log file. */
    public Path errorLogFile() {
        return directory.resolve("error.log");
    }

    /** The access log lines so far (written when a request ends). */
    public List<String> accessLogLines() {
        Path file = accessLogFile();
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("nginx access log " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The access log so far, parsed. */
    public List<AccessLogEntry> accessLog() {
        List<AccessLogEntry> entries = new ArrayList<>();
        for (String line : accessLogLines()) {
            entries.add(AccessLogEntry.parse(line));
        }
        return entries;
    }

    /**
     * Waits until the access log has a line matching a condition (nginx writes a line after the response, so a
     * client may see the response first).
     *
     * @return the last matching entry
     * @throws LabException when the timeout passes first
     */
    public AccessLogEntry awaitAccessLog(Predicate<AccessLogEntry> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AccessLogEntry> entries = accessLog();
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (condition.test(entries.get(i))) {
                    return entries.get(i);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("nginx access log " + accessLogFile() + ": no matching line after " + timeout
                        + " (expected: one); lines: " + accessLogLines());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("nginx access log " + accessLogFile() + ": interrupted while waiting", e);
            }
        }
    }

    /** Stops nginx (master and workers). */
    @Override
    public void close() {
        process.stop();
    }

    static byte[] content(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        if (size > 0) {
            bytes[size - 1] = '\n';
        }
        return bytes;
    }

    private static Map<String, Integer> staticFiles() {
        Map<String, Integer> files = new LinkedHashMap<>();
        files.put("/", 100);
        files.put("/1k.bin", 1024);
        files.put("/64k.bin", 65536);
        files.put("/1m.bin", 1048576);
        return java.util.Collections.unmodifiableMap(files);
    }

    private static String config(Path directory, int port) {
        String temp = directory.resolve("temp").toString();
        List<String> lines = new ArrayList<>(Arrays.asList(
                "daemon off;",
                "master_process on;",
                "worker_processes " + WORKERS + ";",
                "user root;",
                "pid " + directory.resolve("nginx.pid") + ";",
                "error_log " + directory.resolve("error.log") + " info;",
                "events { worker_connections 8192; }",
                "http {",
                "  log_format lab '" + LOG_FORMAT + "';",
                "  access_log " + directory.resolve("access.log") + " lab;",
                "  client_body_temp_path " + temp + "/body;",
                "  proxy_temp_path " + temp + "/proxy;",
                "  fastcgi_temp_path " + temp + "/fastcgi;",
                "  uwsgi_temp_path " + temp + "/uwsgi;",
                "  scgi_temp_path " + temp + "/scgi;",
                "  default_type application/octet-stream;",
                "  keepalive_requests 100000;",
                "  server {",
                "    listen " + port + " reuseport backlog=4096;",
                "    listen [::]:" + port + " ipv6only=on reuseport backlog=4096;",
                "    root " + directory.resolve("html") + ";",
                "    client_max_body_size 64m;",
                "    location = " + POST_PATH + " { return 200 \"ok\\n\"; }",
                "  }",
                "}"));
        return String.join("\n", lines) + "\n";
    }
}
