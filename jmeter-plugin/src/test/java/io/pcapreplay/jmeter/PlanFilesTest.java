package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jmeter.services.FileServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files named in a plan resolve like CSV Data Set's: absolute, else the plan's folder, else the working directory. */
class PlanFilesTest {

    @TempDir
    Path planFolder;

    @AfterEach
    void resetBase() {
        FileServer.getFileServer().resetBase();
    }

    @Test
    void shouldTakeARelativePathFromThePlansFolderWhenTheFileIsThere() throws Exception {
        Path capture = Files.createDirectories(planFolder.resolve("pcaps")).resolve("x.pcap");
        Files.write(capture, new byte[] {1});
        Path plan = Files.createDirectories(planFolder.resolve("plans")).resolve("replay.jmx");
        FileServer.getFileServer().setBaseForScript(plan.toFile());

        assertThat(SessionLoader.files("../pcaps/x.pcap")).containsExactly(capture);
        assertThat(PlanFiles.resolve(" ../pcaps/x.pcap ")).isEqualTo(capture);
    }

    @Test
    void shouldReportAMissingRelativeFileByItsPlaceInThePlansFolder() {
        FileServer.getFileServer().setBasedir(planFolder.toString());

        assertThat(PlanFiles.resolve("missing.pcap")).isEqualTo(planFolder.resolve("missing.pcap"));
    }

    @Test
    void shouldTakeTheWorkingDirectoryWhenTheFileIsOnlyThere() {
        FileServer.getFileServer().setBasedir(planFolder.toString());

        assertThat(PlanFiles.resolve("pom.xml")).isEqualTo(Path.of("pom.xml").toAbsolutePath());
    }

    @Test
    void shouldKeepAnAbsolutePathAndWriteAChosenFileRelativeWhenUnderThePlansFolder() {
        FileServer.getFileServer().setBasedir(planFolder.toString());

        assertThat(PlanFiles.resolve("/etc/hostname")).isEqualTo(Path.of("/etc/hostname"));
        assertThat(PlanFiles.relativize(planFolder.resolve("pcaps/x.pcap"))).isEqualTo("pcaps/x.pcap");
        assertThat(PlanFiles.relativize(Path.of("/etc/hostname"))).isEqualTo("/etc/hostname");
    }
}
