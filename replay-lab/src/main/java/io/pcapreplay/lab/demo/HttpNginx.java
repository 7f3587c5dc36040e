package io.pcapreplay.lab.demo;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx for the HTTP rewriting and comparison lab tests: serves what examples/pcaps/http-keepalive.pcap recorded (a
 * 55-byte page at /, a 3,000-byte /page.txt, /login answering "welcome"), and shows what the replay sent: the access
 * log line is {@code addr:port "request" status host=$host token=$http_x_token cookie=$http_cookie body=$request_body}
 * (/login is proxied to a second server so that nginx reads, and logs, the body by its Content-Length or chunks), and
 * {@code /headers} echoes {@code token=... cookie=... host=...} back.
 *
 * @param directory the server's directory (access.log, www/)
 * @param process the running nginx
 */
public record HttpNginx(Path directory, LabProcess process) {

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
        Files.write(www.resolve("index.html"), "x".repeat(54).concat("\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(www.resolve("page.txt"), "y".repeat(2_999).concat("\n").getBytes(StandardCharsets.US_ASCII));
        String conf = String.join("\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + directory.resolve("nginx.pid") + ";",
            "events { worker_connections 1024; }",
            "http {",
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
