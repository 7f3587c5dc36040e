/**
 * The command line: {@code java -jar jmeter-plugin.jar inspect FILE [--port N] [--filter BPF] [--json]} lists the
 * sessions of a capture as the replay would see them.
 */
package io.pcapreplay.cli;
