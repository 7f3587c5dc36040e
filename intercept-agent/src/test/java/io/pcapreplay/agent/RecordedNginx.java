package io.pcapreplay.agent;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx in the lab's target namespace serving what examples/pcaps/http-keepalive.pcap recorded: a 55-byte page, a
 * 3,000-byte page.txt, /login answering "welcome". Two workers on a reuseport listener (IPv4 and IPv6), access log
 * lines {@code <client>:<port> "<request>" <status>}.
 */
final class RecordedNginx {

    /** The requests of the capture as the access log shows them, with their status. */
    static final List<String> RECORDED_REQUESTS = List.of("\"GET / HTTP/1.1\" 200",
        "\"GET /page.txt HTTP/1.1\" 200", "\"POST /login HTTP/1.1\" 200", "\"GET /page.txt HTTP/1.1\" 200");
    static final String LOGIN_ANSWER = "welcome\n";

    private final Path directory;
    private final LabProcess process;

    private RecordedNginx(Path directory, LabProcess process) {
        this.directory = directory;
        this.process = process;
    }

    /**
     * @param lab the lab
     * @param name a directory name in the lab's work directory
     * @param port the port
     * @return the running server (stopped with the lab)
     * @throws IOException when its files cannot be written
     */
    static RecordedNginx start(Lab lab, String name, int port) throws IOException {
        Path directory = Files.createDirectories(lab.workDir().resolve(name));
        Path www = Files.createDirectories(directory.resolve("www"));
        Files.createDirectories(directory.resolve("temp"));
        Files.write(www.resolve("index.html"), "x".repeat(54).concat("\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(www.resolve("page.txt"), "y".repeat(2_999).concat("\n").getBytes(StandardCharsets.US_ASCII));
        String temp = directory.resolve("temp").toString();
        String conf = String.join("\n",
            "daemon off;",
            "worker_processes 2;",
            "worker_rlimit_nofile 20000;",
            "pid " + directory.resolve("nginx.pid") + ";",
            "events { worker_connections 8192; }",
            "http {",
            "  log_format replay '$remote_addr:$remote_port \"$request\" $status';",
            "  access_log " + directory.resolve("access.log") + " replay;",
            "  keepalive_requests 100000;",
            "  client_body_temp_path " + temp + "; proxy_temp_path " + temp + "; fastcgi_temp_path " + temp + ";",
            "  uwsgi_temp_path " + temp + "; scgi_temp_path " + temp + ";",
            "  server { listen " + port + " reuseport backlog=4096; listen [::]:" + port
                + " ipv6only=on reuseport backlog=4096; root " + www + ";",
            "    location = /login { return 200 \"welcome\\n\"; } }",
            "}", "");
        Files.writeString(directory.resolve("nginx.conf"), conf);
        LabProcess process = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        process.awaitPort(port, Duration.ofSeconds(20));
        return new RecordedNginx(directory, process);
    }

    LabProcess process() {
        return process;
    }

    /**
     * @param addressPrefix the fake clients' address prefix, e.g. "198.18.7."
     * @return the access log's {@code "request" status} for the lines from these fake clients
     * @throws IOException when the log cannot be read
     */
    List<String> accessLog(String addressPrefix) throws IOException {
        Path log = directory.resolve("access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(addressPrefix))
            .map(line -> line.split(" ", 2)[1]).toList();
    }

    /** @return the error log so far, for messages */
    String errorLog() throws IOException {
        Path log = directory.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
