package io.pcapreplay.loop;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx in the lab's target namespace serving what examples/pcaps/http-keepalive.pcap recorded
 * ({@link ReplaySetup#startRecordedNginx(Lab, String, int)}), with its access log read per fake client range.
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
        LabProcess process = ReplaySetup.startRecordedNginx(lab, name, port);
        return new RecordedNginx(lab.workDir().resolve(name), process);
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
