package io.pcapreplay.lab.demo;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabException;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab setup shared by the demo and the JMeter lab tests: nginx serving what examples/pcaps/http-keepalive.pcap
 * recorded, the intercept agent jar in the assistant namespace, and the command line of JMeter running a plan
 * headless.
 */
public final class ReplaySetup {

    /** The agent's port in the assistant. */
    public static final int AGENT_PORT = 36524;
    /** How long to wait for a server or the agent to start. */
    public static final Duration START_WAIT = Duration.ofSeconds(30);

    private ReplaySetup() {
    }

    /**
     * Starts nginx on port 80 in the target as http-keepalive.pcap recorded it (see
     * {@link #startRecordedNginx(Lab, String, int)}).
     *
     * @param lab the lab
     * @return nginx's directory in the lab's work directory (access.log: {@code addr:port "request" status})
     */
    public static Path startRecordedNginx(Lab lab) throws IOException {
        startRecordedNginx(lab, "recorded-nginx", 80);
        return lab.workDir().resolve("recorded-nginx");
    }

    /**
     * Starts nginx in the target as http-keepalive.pcap recorded it: a 55-byte page at /, a 3,000-byte /page.txt,
     * /login answering "welcome". Two workers on a reuseport listener (IPv4 and IPv6) with room for thousands of
     * connections; access log lines {@code addr:port "request" status}.
     *
     * @param lab the lab
     * @param name its directory in the lab's work directory
     * @param port the port
     * @return the running nginx (stopped with the lab)
     */
    public static LabProcess startRecordedNginx(Lab lab, String name, int port) throws IOException {
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
        LabProcess nginx = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        nginx.awaitPort(port, START_WAIT);
        return nginx;
    }

    /**
     * Starts the intercept agent jar in the assistant: capturing the target's packets to the fake clients on the
     * assistant's interface to the target with its default filter (TCP to 198.18.0.0/15 or 2001:2::/48: the lab's
     * IPv4 and IPv6 fake clients), listening for replayers on its address towards the client.
     *
     * @param lab the lab
     * @param agentJar the agent's runnable jar
     * @param token the shared secret
     * @return the token file (in the lab's work directory)
     */
    public static Path startAgent(Lab lab, Path agentJar, String token) throws IOException {
        startAgentProcess(lab, agentJar, token);
        return lab.workDir().resolve("agent.token");
    }

    /**
     * As {@link #startAgent(Lab, Path, String)}, returning the agent's process (e.g. to kill it by PID in a fault
     * test); its token file is {@code agent.token} in the lab's work directory.
     *
     * @param lab the lab
     * @param agentJar the agent's runnable jar
     * @param token the shared secret
     * @return the running agent (stopped with the lab)
     */
    public static LabProcess startAgentProcess(Lab lab, Path agentJar, String token) throws IOException {
        if (!Files.isRegularFile(agentJar)) {
            throw new LabException("agent jar: " + agentJar + " not found (expected: the intercept-agent jar; build "
                + "with ./mvnw -q -pl distribution -am package -DskipTests)");
        }
        Path tokenFile = lab.workDir().resolve("agent.token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        LabProcess agent = lab.assistant().start(java(), "-jar", agentJar.toString(),
            "-i", lab.assistant().interfaceTo(LabRole.TARGET),
            "-p", Integer.toString(AGENT_PORT),
            "-b", lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress(), "--token-file", tokenFile.toString());
        agent.awaitOutput("listening for replayers", START_WAIT);
        return agent;
    }

    /** Returns where replayers reach the agent from the client namespace: host:port. */
    public static String agentAddress(Lab lab) {
        return lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress() + ":" + AGENT_PORT;
    }

    /**
     * Returns {@code java -jar ApacheJMeter.jar -n -t plan -l results.jtl -e -o report -j jmeter.log} with CSV
     * results and the given -J properties.
     *
     * @param java the java executable
     * @param jmeterHome a JMeter 5.6.3 home (bin/ApacheJMeter.jar)
     * @param plan the test plan
     * @param runDirectory where results.jtl, report/ and jmeter.log go
     * @param properties -J properties, "name=value"
     */
    public static List<String> headlessCommand(String java, Path jmeterHome, Path plan, Path runDirectory,
            List<String> properties) throws IOException {
        Path launcher = jmeterHome.resolve("bin/ApacheJMeter.jar");
        if (!Files.isRegularFile(launcher)) {
            throw new LabException("JMeter: " + launcher + " not found (expected: JMeter 5.6.3 assembled by the build "
                + "under distribution/target/jmeter; run ./mvnw -q -pl distribution -am package -DskipTests)");
        }
        Files.createDirectories(jmeterHome.resolve("lib/junit")); // JMeter's NewDriver expects it
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", launcher.toString(), "-n",
            "-t", plan.toString(), "-l", runDirectory.resolve("results.jtl").toString(),
            "-e", "-o", runDirectory.resolve("report").toString(), "-j", runDirectory.resolve("jmeter.log").toString(),
            "-Jjmeter.save.saveservice.output_format=csv"));
        properties.forEach(property -> command.add("-J" + property));
        return command;
    }

    /** Returns this JVM's java executable. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
