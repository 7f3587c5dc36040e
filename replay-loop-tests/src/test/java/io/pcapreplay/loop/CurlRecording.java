package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records one curl session in the lab: curl from the client, captured by tcpdump on the target's client link. */
final class CurlRecording {

    private CurlRecording() {
    }

    /**
     * @param lab the lab (a web server on port 80 of the target)
     * @param curlArguments curl's arguments; each URL's body goes to /dev/null
     * @return the one recorded session (port 80)
     * @throws Exception when curl or the capture fails
     */
    static RecordedSession record(Lab lab, String... curlArguments) throws Exception {
        LabCapture capture = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp port 80")
            .awaitStarted(Duration.ofSeconds(20));
        List<String> command = new ArrayList<>(List.of("curl", "-s"));
        for (String argument : curlArguments) {
            if (argument.startsWith("http")) {
                command.addAll(List.of("-o", "/dev/null"));
            }
            command.add(argument);
        }
        lab.client().exec(Duration.ofSeconds(20), command.toArray(new String[0])).orThrow();
        Path pcap = capture.stop();
        CaptureOptions options = CaptureOptions.defaults().withServerPort(80);
        List<RecordedSession> sessions = new CaptureReader().read(pcap, options).requireSessions(options);
        assertThat(sessions).as(command.toString()).hasSize(1);
        return sessions.get(0);
    }
}
