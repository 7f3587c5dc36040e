package io.pcapreplay.jmeter;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jmeter.services.FileServer;

/**
 * Where the files a plan names (captures, the agent token) are: an absolute path as it is; a relative one in the
 * plan's folder (JMeter's FileServer base directory: the folder of the .jmx given with -t or opened in the GUI), as
 * CSV Data Set reads its file, else in the working directory when it exists only there.
 */
final class PlanFiles {

    private PlanFiles() {
    }

    /** Returns the plan's folder (the working directory while a new plan is not saved yet). */
    static Path baseDirectory() {
        return Path.of(FileServer.getFileServer().getBaseDir()).toAbsolutePath().normalize();
    }

    /**
     * @param name a file name from the plan (trimmed)
     * @return the file: absolute as given; else under the plan's folder, or under the working directory when it
     *     exists only there; a missing file is reported by its place in the plan's folder
     */
    static Path resolve(String name) {
        Path path = Path.of(name.trim());
        if (path.isAbsolute()) {
            return path;
        }
        Path inPlanFolder = baseDirectory().resolve(path).normalize();
        if (Files.exists(inPlanFolder)) {
            return inPlanFolder;
        }
        Path inWorkingDirectory = path.toAbsolutePath().normalize();
        return Files.exists(inWorkingDirectory) ? inWorkingDirectory : inPlanFolder;
    }

    /** Returns how to write a chosen file in the plan: relative when it lies under the plan's folder. */
    static String relativize(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = baseDirectory();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
