package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The open-files limit for real: a JVM started under {@code prlimit --nofile=256} (util-linux) opens 400 comet
 * sessions to a holding server in this JVM. The sessions beyond the limit fail with LOCAL_LIMIT and EMFILE's text,
 * the first one is warned about once, every one is counted, and the limits the child detected say 256.
 */
class KernelOpenFilesTest {

    private static final int LIMIT = 256;
    private static final int SESSIONS = 400;

    @Test
    @Timeout(90)
    void shouldFailTheSessionsBeyondTheOpenFilesLimitWithLocalLimitWhenDescriptorsRunOut() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        assertThat(prlimit).as("prlimit (util-linux)").isExecutable();
        try (HoldingServer server = HoldingServer.start("event: hello\n\n");
             ForkedJava probe = ForkedJava.start(List.of(prlimit.toString(), "--nofile=" + LIMIT + ":" + LIMIT, "--"),
                 KernelOpenFilesProbe.class.getName(), Integer.toString(server.port()),
                 Integer.toString(SESSIONS))) {
            String limits = probe.awaitLine("limits ");
            String outcomes = probe.awaitLine("outcomes ");
            String first = probe.awaitLine("first ");
            String warned = probe.awaitLine("warned ");
            String stats = probe.awaitLine("stats ");
            String all = String.join("\n", limits, outcomes, first, warned, stats);
            System.out.println(all);

            assertThat(limits).as(all).startsWith("limits " + LIMIT + " ");
            assertThat(outcomes).as(all).startsWith("outcomes true ");
            long ok = count(outcomes, "OK");
            long local = count(outcomes, "LOCAL_LIMIT");
            assertThat(ok).as(all).isPositive().isLessThan(LIMIT);
            assertThat(ok + local).as(all).isEqualTo(SESSIONS);
            assertThat(first).as(all).startsWith("first no file descriptor for a socket (Too many open files)");
            assertThat(warned).as("warned once, with the same message").isEqualTo("warned " + first.substring(6));
            assertThat(stats).as(all).contains("localLimits=" + local, "loopErrors=0");
        }
        assertThat(Files.exists(prlimit)).isTrue();
    }

    private static long count(String outcomes, String outcome) {
        Matcher matcher = Pattern.compile("\\b" + outcome + "=(\\d+)").matcher(outcomes);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
