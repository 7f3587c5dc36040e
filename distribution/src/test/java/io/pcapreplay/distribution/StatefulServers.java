package io.pcapreplay.distribution;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stateful servers in the lab's target, each twice: one to record against, one fresh to replay against: nginx with
 * WebDAV PUT/DELETE (Debian's nginx-light has the dav module; {@value #HTTP_RECORDING} and {@value #HTTP_FRESH},
 * separate roots), memcached ({@value #MEMCACHED_RECORDING}, {@value #MEMCACHED_FRESH}) and PostgreSQL
 * ({@value #POSTGRES_RECORDING}, {@value #POSTGRES_FRESH}: one initdb, its data directory copied before the first
 * start; trust authentication, so that a replayed login needs no fresh salt; fsync off for a fast start).
 */
final class StatefulServers {

    static final int HTTP_RECORDING = 80;
    static final int HTTP_FRESH = 8080;
    static final int MEMCACHED_RECORDING = 11211;
    static final int MEMCACHED_FRESH = 11212;
    static final int POSTGRES_RECORDING = 5432;
    static final int POSTGRES_FRESH = 5433;
    static final String DATABASE = "replay";
    private static final Duration START = Duration.ofSeconds(30);

    private final Lab lab;
    private final Path directory;
    private int freshLogMark;

    private StatefulServers(Lab lab, Path directory) {
        this.lab = lab;
        this.directory = directory;
    }

    /** Starts the six servers in the target; stopped with the lab. */
    static StatefulServers start(Lab lab) throws IOException {
        Path directory = Files.createDirectories(lab.workDir().resolve("stateful"));
        StatefulServers servers = new StatefulServers(lab, directory);
        servers.startNginx();
        LabHost target = lab.target();
        for (int port : List.of(MEMCACHED_RECORDING, MEMCACHED_FRESH)) {
            target.start("memcached", "-p", Integer.toString(port), "-U", "0", "-u", "nobody", "-m", "16")
                .awaitPort(port, START);
        }
        servers.startPostgres();
        return servers;
    }

    private void startNginx() throws IOException {
        for (int port : List.of(HTTP_RECORDING, HTTP_FRESH)) {
            Files.createDirectories(directory.resolve("dav-" + port));
        }
        Files.createDirectories(directory.resolve("nginx-temp"));
        String conf = String.join("\n",
            "daemon off;", "master_process off;", "pid " + directory.resolve("nginx.pid") + ";",
            "error_log " + directory.resolve("nginx-error.log") + " info;", "events { worker_connections 256; }",
            "http {",
            "  log_format lab '$server_port \"$request\" $status';",
            "  access_log " + directory.resolve("nginx-access.log") + " lab;",
            "  client_body_temp_path " + directory.resolve("nginx-temp") + ";",
            "  client_max_body_size 16m;",
            server(HTTP_RECORDING), server(HTTP_FRESH), "}", "");
        Path file = directory.resolve("nginx.conf");
        Files.writeString(file, conf);
        lab.target().start("nginx", "-p", directory.toString(), "-c", file.toString(), "-e",
            directory.resolve("nginx-error.log").toString()).awaitPort(HTTP_FRESH, START).awaitPort(HTTP_RECORDING,
            START);
    }

    private String server(int port) {
        return "  server { listen " + port + "; root " + directory.resolve("dav-" + port) + "; location / { "
            + "dav_methods PUT DELETE; create_full_put_path on; dav_access user:rw group:r all:r; } }";
    }

    private void startPostgres() throws IOException {
        Path bin = postgresBin();
        // the postgres user must reach its directories: the lab's work directory is root's
        run("chmod", "755", lab.workDir().toString(), directory.toString());
        Path recording = directory.resolve("pg-" + POSTGRES_RECORDING);
        Path fresh = directory.resolve("pg-" + POSTGRES_FRESH);
        Path sockets = Files.createDirectories(directory.resolve("pg-sockets"));
        Files.createDirectories(recording);
        run("chown", "postgres", sockets.toString(), recording.toString());
        asPostgres(bin.resolve("initdb").toString(), "-D", recording.toString(), "--no-sync", "-A", "trust", "-U",
            "postgres", "--no-instructions");
        Files.writeString(recording.resolve("pg_hba.conf"), "local all all trust\nhost all all 0.0.0.0/0 trust\n");
        run("cp", "-a", recording.toString(), fresh.toString());
        for (Path data : List.of(recording, fresh)) {
            int port = data == recording ? POSTGRES_RECORDING : POSTGRES_FRESH;
            lab.target().start("runuser", "-u", "postgres", "--", bin.resolve("postgres").toString(), "-D",
                data.toString(), "-p", Integer.toString(port), "-k", sockets.toString(), "-c", "listen_addresses=*",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
                "shared_buffers=16MB", "-c", "max_connections=40").awaitPort(port, START);
            sql(port, "postgres", "CREATE DATABASE " + DATABASE);
        }
    }

    private static Path postgresBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(bin -> Files.isExecutable(
                bin.resolve("postgres"))).sorted().reduce((first, second) -> second).orElseThrow(() ->
                new IOException("no /usr/lib/postgresql/*/bin/postgres (expected: Debian's postgresql installed)"));
        }
    }

    /** Runs SQL with psql in the target as the superuser: the output, unaligned, tuples only. */
    String sql(int port, String database, String statement) {
        return lab.target().exec(START, "runuser", "-u", "postgres", "--", "psql", "-h",
            directory.resolve("pg-sockets").toString(), "-p", Integer.toString(port), "-d", database, "-v",
            "ON_ERROR_STOP=1", "-Atc", statement).orThrow().stdout().strip();
    }

    private void asPostgres(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "runuser";
        full[1] = "-u";
        full[2] = "postgres";
        full[3] = "--";
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }

    private void run(String... command) {
        lab.target().exec(START, command).orThrow();
    }

    /** The WebDAV root of a port's nginx server. */
    Path davRoot(int port) {
        return directory.resolve("dav-" + port);
    }

    /** The nginx access log lines of a port: {@code "PUT /dav/item.txt HTTP/1.1" 201}. */
    List<String> httpLog(int port) throws IOException {
        Path log = directory.resolve("nginx-access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        String prefix = port + " ";
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(prefix))
            .map(line -> line.substring(prefix.length())).toList();
    }

    /** The fresh nginx server's access log lines since {@link #resetFresh()}. */
    List<String> freshHttpLog() throws IOException {
        List<String> lines = httpLog(HTTP_FRESH);
        return lines.subList(Math.min(freshLogMark, lines.size()), lines.size());
    }

    /** Brings the fresh servers back to their initial state (between replays). */
    void resetFresh() throws IOException {
        freshLogMark = httpLog(HTTP_FRESH).size();
        try (Stream<Path> files = Files.list(davRoot(HTTP_FRESH))) {
            for (Path file : files.toList()) {
                run("rm", "-rf", file.toString());
            }
        }
        sql(POSTGRES_FRESH, DATABASE, "DROP TABLE IF EXISTS items");
        DependentClients.memcached(lab, MEMCACHED_FRESH, "flush_all");
    }
}
