package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lab helpers for running real JMeter: nginx serving what http-keepalive.pcap recorded, the intercept agent jar in
 * the assistant namespace, and JMeter 5.6.3 (assembled under target/jmeter by the build) started headless inside the
 * client namespace.
 */
final class JMeterLab {

    static final String TOKEN = "lab-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(30);

    private JMeterLab() {
    }

    /** Starts nginx on port 80 in the target: a 55-byte page, a 3,000-byte page.txt, /login answering "welcome". */
    static Path startRecordedNginx(Lab lab) throws IOException {
        return ReplaySetup.startRecordedNginx(lab);
    }

    /** Starts the agent jar (system property agent.jar) in the assistant; returns its token file. */
    static Path startAgent(Lab lab) throws IOException {
        String jar = System.getProperty("agent.jar");
        assertThat(jar).as("system property agent.jar (set by failsafe)").isNotNull();
        return ReplaySetup.startAgent(lab, Path.of(jar), TOKEN);
    }

    /** The MAC address of a lab host's interface (for datalink sending to it). */
    static String mac(io.pcapreplay.lab.LabHost host, String interfaceName) {
        String output = host.exec(WAIT, "ip", "-br", "link", "show", "dev", interfaceName).orThrow().stdout();
        for (String word : output.trim().split("\\s+")) {
            if (word.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
                return word;
            }
        }
        throw new IllegalStateException("no MAC address in: " + output);
    }

    /** Returns where replayers reach the agent from the client namespace: host:port. */
    static String agentAddress(Lab lab) {
        return ReplaySetup.agentAddress(lab);
    }

    /** Returns the JMeter home the build assembled. */
    static Path jmeterHome() throws IOException {
        Path home = Path.of(System.getProperty("jmeter.home", "target/jmeter"));
        assertThat(home.resolve("bin/ApacheJMeter.jar")).as("JMeter assembled by the build").isRegularFile();
        Files.createDirectories(home.resolve("lib/junit")); // NewDriver expects it
        return home;
    }

    /**
     * Runs {@code jmeter -n -t plan -l results.jtl -e -o report} in the client namespace.
     *
     * @param lab the lab
     * @param runDirectory where results.jtl, report/ and jmeter.log go
     * @param properties -J properties, "name=value"
     * @return the finished process's result
     */
    static ExecResult runJMeter(Lab lab, Path runDirectory, List<String> properties) throws IOException {
        return runJMeter(lab, runDirectory, properties, java());
    }

    /** As {@link #runJMeter(Lab, Path, List)} with another java executable. */
    static ExecResult runJMeter(Lab lab, Path runDirectory, List<String> properties, String java)
            throws IOException {
        return lab.client().exec(Duration.ofSeconds(90), jmeterCommand(runDirectory, properties, java));
    }

    /** Starts JMeter headless in the client namespace without waiting for its end. */
    static LabProcess startJMeter(Lab lab, Path runDirectory, List<String> properties) throws IOException {
        return lab.client().start(jmeterCommand(runDirectory, properties, java()));
    }

    /** As {@link #startJMeter(Lab, Path, List)}, JMeter on this {@code java}. */
    static LabProcess startJMeter(Lab lab, Path runDirectory, List<String> properties, String java)
            throws IOException {
        return lab.client().start(jmeterCommand(runDirectory, properties, java));
    }

    /** Sends "Stop now" to the JMeter of this namespace (its UDP shutdown port, as bin/stoptest.sh does). */
    static ExecResult stopTestNow(Lab lab) throws IOException {
        return lab.client().exec(Duration.ofSeconds(30), java(), "-cp",
            jmeterHome().resolve("bin/ApacheJMeter.jar").toString(), "org.apache.jmeter.util.ShutdownClient",
            "StopTestNow");
    }

    private static String[] jmeterCommand(Path runDirectory, List<String> properties, String java)
            throws IOException {
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");
        return ReplaySetup.headlessCommand(java, jmeterHome(), plan, runDirectory, properties).toArray(new String[0]);
    }

    /**
     * Starts a jmeter-server (RMI, SSL off) in a namespace, with its own -J properties (its client address slice and
     * target address).
     *
     * @param lab the lab
     * @param role where it runs
     * @param properties server-local properties, "name=value"
     * @return the running server, registry on port 1099
     */
    static LabProcess startServer(Lab lab, LabRole role, List<String> properties) throws IOException {
        Path home = jmeterHome();
        String address = lab.host(role).ipv4To(role == LabRole.CLIENT ? LabRole.ASSISTANT : LabRole.CLIENT)
            .getHostAddress();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m",
            "-Djava.rmi.server.hostname=" + address, "-jar", home.resolve("bin/ApacheJMeter.jar").toString(), "-s",
            "-Jserver.rmi.ssl.disable=true", "-Jserver_port=1099", "-Jserver.rmi.localport=4000",
            "-j", lab.workDir().resolve("jmeter-server-" + role.name().toLowerCase(java.util.Locale.ROOT) + ".log")
                .toString()));
        properties.forEach(property -> command.add("-J" + property));
        LabProcess server = lab.host(role).start(command.toArray(new String[0]));
        server.awaitOutput("Created remote object", Duration.ofSeconds(60));
        return server;
    }

    /**
     * Runs the controller ({@code jmeter -n -t plan -R servers -X}) in the client namespace; -G properties go to every
     * server.
     */
    static ExecResult runController(Lab lab, Path runDirectory, String servers, List<String> globalProperties)
            throws IOException {
        Path home = jmeterHome();
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
            "-Djava.rmi.server.hostname=" + lab.client().ipv4To(LabRole.ASSISTANT).getHostAddress(), "-jar",
            home.resolve("bin/ApacheJMeter.jar").toString(), "-n", "-t", plan.toString(), "-R", servers, "-X",
            "-Jserver.rmi.ssl.disable=true", "-Jclient.rmi.localport=4100",
            "-Jjmeter.save.saveservice.output_format=csv",
            "-l", runDirectory.resolve("results.jtl").toString(),
            "-j", runDirectory.resolve("jmeter.log").toString()));
        globalProperties.forEach(property -> command.add("-G" + property));
        return lab.client().exec(Duration.ofSeconds(90), command.toArray(new String[0]));
    }

    static String java() {
        return ReplaySetup.java();
    }
}
