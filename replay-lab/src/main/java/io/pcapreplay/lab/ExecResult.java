package io.pcapreplay.lab;

import java.util.List;

/**
 * The result of a command that ran to its end.
 *
 * @param command the command line
 * @param exitCode the exit code
 * @param stdout everything the command wrote to its standard output
 * @param stderr everything the command wrote to its standard error
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

    public ExecResult {
        command = List.copyOf(command);
    }

    /** True when the exit code is 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the exit code is 0, otherwise throws.
     *
     * @throws LabException naming the command, its exit code and its error output
     */
    public ExecResult orThrow() {
        if (exitCode != 0) {
            throw new LabException("command " + String.join(" ", command) + ": exit code " + exitCode
                    + " (expected: 0); stderr: " + stderr.strip() + "; stdout: " + stdout.strip());
        }
        return this;
    }
}
