package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits statement from /proc-like files: the numbers, the smaller bound, and the ports rule. */
class KernelLimitsTest {

    @TempDir
    Path directory;

    private KernelLimits read(String openFiles, String ports, int descriptors, int localAddresses, int targets)
            throws Exception {
        Path limits = Files.writeString(directory.resolve("limits"), "Limit                     Soft Limit"
            + "           Hard Limit           Units     \nMax cpu time              unlimited            unlimited"
            + "            seconds   \n" + openFiles + "\nMax processes             95541                95541"
            + "                processes \n");
        Path range = Files.writeString(directory.resolve("ip_local_port_range"), ports);
        Path reuse = Files.writeString(directory.resolve("tcp_tw_reuse"), "2\n");
        Path fd = Files.createDirectories(directory.resolve("fd"));
        for (int index = 0; index < descriptors; index++) {
            Files.writeString(fd.resolve(Integer.toString(index)), "");
        }
        return KernelLimits.read(limits, range, reuse, fd, localAddresses, targets);
    }

    @Test
    void shouldBeBoundByTheOpenFilesWhenTheyAreFewerThanThePorts() throws Exception {
        KernelLimits limits = read("Max open files            20000                20000                files     ",
            "32768\t60999\n", 36, 0, 1);

        assertThat(limits.openFilesSoft()).isEqualTo(20_000);
        assertThat(limits.openFilesInUse()).isEqualTo(36);
        assertThat(limits.ports()).isEqualTo(28_232);
        assertThat(limits.fileCapacity()).isEqualTo(20_000 - 36 - KernelLimits.RESERVED_FILES);
        assertThat(limits.capacity()).isEqualTo(19_900);
        assertThat(limits.closesPerSecond()).isEqualTo(28_232 / 60);
        assertThat(limits.describe()).startsWith("transport kernel: at most 19,900 concurrent users on this host "
            + "(the open-files limit: raise it with ulimit -n): open files: soft limit 20,000 (hard 20,000), 36 in "
            + "use, 64 kept for the rest of the process = 19,900; ephemeral ports 32768-60999: 28232 x 1 target "
            + "address(es) = 28,232; sessions this host closes first keep their port in TIME_WAIT for 60 s: at most "
            + "470 such closes/s");
    }

    @Test
    void shouldMultiplyThePortsByTheBoundAddressesElseByTheTargets() throws Exception {
        KernelLimits unbound = read("Max open files            1048576              1048576              files",
            "40000 40999", 10, 0, 3);
        KernelLimits bound = read("Max open files            unlimited            unlimited            files",
            "40000 40999", 10, 2, 3);

        assertThat(unbound.portCapacity()).isEqualTo(3_000);
        assertThat(unbound.capacity()).isEqualTo(3_000);
        assertThat(unbound.describe()).contains("(the ports: bind more local addresses");
        assertThat(bound.portCapacity()).as("a bound socket gets its own port whatever the target").isEqualTo(2_000);
        assertThat(bound.fileCapacity()).isEqualTo(Long.MAX_VALUE);
        assertThat(bound.describe()).contains("soft limit unlimited", "1000 x 2 bound local address(es) = 2,000");
    }

    @Test
    void shouldSayUnknownWhenTheHostShowsNothing() {
        Path missing = directory.resolve("missing");
        KernelLimits limits = KernelLimits.read(missing, missing, missing, missing, 0, 1);

        assertThat(limits.capacity()).isEqualTo(-1);
        assertThat(limits.describe()).isEqualTo("transport kernel: at most unknown concurrent users on this host: "
            + "open files: unknown; ephemeral ports: unknown");
    }
}
