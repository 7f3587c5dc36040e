package io.pcapreplay.lab.demo;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx for the HTTP rewriting and comparison lab tests: serves exactly what examples/pcaps/http-keepalive.pcap
 * recorded (bodies and Content-Type: the 55-byte page at /, the 3,000-byte /page.txt, /login answering "welcome"), and
 * shows what the replay sent: the access
 * log line is {@code addr:port "request" status host=$host token=$http_x_token cookie=$http_cookie body=$request_body}
 * (/login is proxied to a second server so that nginx reads, and logs, the body by its Content-Length or chunks), and
 * {@code /headers} echoes {@code token=... cookie=... host=...} back.
 *
 * @param directory the server's directory (access.log, www/)
 * @param process the running nginx
 */
public record HttpNginx(Path directory, LabProcess process) {

    /** The page at / as http-keepalive.pcap recorded it (text/html). */
    public static final String RECORDED_INDEX = "<html><body><h1>pcap-replay example</h1></body></html>\n";
    /** /page.txt as http-keepalive.pcap recorded it (text/plain). */
    public static final String RECORDED_PAGE = "x".repeat(3_000);
    private static final Path MIME_TYPES = Path.of("/etc/nginx/mime.types");

    /**
     * Starts it in the lab's target namespace.
     *
     * @param lab the lab
     * @param name its directory in the lab's work directory
     * @param port the port (the body-reading backend listens on 127.0.0.1, port + 1000)
     * @return the running server (stopped with the lab)
     * @throws IOException when its files cannot be written
     */
    public static HttpNginx start(Lab lab, String name, int port) throws IOException {
        Path directory = Files.createDirectories(lab.workDir().resolve(name));
        Path www = Files.createDirectories(directory.resolve("www"));
        Path temp = Files.createDirectories(directory.resolve("temp"));
        Files.writeString(www.resolve("index.html"), RECORDED_INDEX, StandardCharsets.US_ASCII);
        Files.writeString(www.resolve("page.txt"), RECORDED_PAGE, StandardCharsets.US_ASCII);
        String conf = String.join("\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + directory.resolve("nginx.pid") + ";",
            "events { worker_connections 1024; }",
            "http {",
            Files.exists(MIME_TYPES) ? "  include " + MIME_TYPES + ";" : "",
            "  log_format replay '$remote_addr:$remote_port \"$request\" $status host=$host token=$http_x_token "
                + "cookie=$http_cookie body=$request_body';",
            "  access_log " + directory.resolve("access.log") + " replay;",
            "  client_body_temp_path " + temp + "; proxy_temp_path " + temp + "; fastcgi_temp_path " + temp + ";",
            "  uwsgi_temp_path " + temp + "; scgi_temp_path " + temp + ";",
            "  server { listen " + port + "; root " + www + ";",
            "    location = /headers { return 200 \"token=$http_x_token cookie=$http_cookie host=$host\\n\"; }",
            "    location = /login { proxy_pass http://127.0.0.1:" + (port + 1000) + "; } }",
            "  server { listen 127.0.0.1:" + (port + 1000) + "; access_log off;",
            "    location / { return 200 \"welcome\\n\"; } }",
            "}", "");
        Files.writeString(directory.resolve("nginx.conf"), conf);
        LabProcess nginx = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        nginx.awaitPort(port, ReplaySetup.START_WAIT);
        return new HttpNginx(directory, nginx);
    }

    /**
     * Replaces the content of a served file (a changed page).
     *
     * @param path the path under www/, e.g. "page.txt"
     * @param content the new content
     * @throws IOException when it cannot be written
     */
    public void serve(String path, String content) throws IOException {
        Files.writeString(directory.resolve("www").resolve(path), content, StandardCharsets.US_ASCII);
    }

    /**
     * Returns the access log lines of some fake clients, without their address.
     *
     * @param addressPrefix e.g. "198.18.30."
     * @return the lines: {@code "request" status host=... token=... cookie=... body=...}
     * @throws IOException when the log cannot be read
     */
    public List<String> accessLog(String addressPrefix) throws IOException {
        Path log = directory.resolve("access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(addressPrefix))
            .map(line -> line.split(" ", 2)[1]).toList();
    }
}
