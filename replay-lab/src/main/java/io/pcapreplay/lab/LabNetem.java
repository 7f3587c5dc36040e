package io.pcapreplay.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Applies tc netem for a lab and knows whether the kernel supports it. */
final class LabNetem {
    private final Lab lab;
    private Boolean available;

    LabNetem(Lab lab) {
        this.lab = lab;
    }

    Netem apply(LabHost host, String interfaceName, String parameters) {
        List<String> command = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", interfaceName, "root",
                "netem"));
        command.addAll(Arrays.asList(parameters.trim().split("\\s+")));
        ExecResult result = host.exec(Lab.COMMAND_TIMEOUT, command.toArray(new String[0]));
        if (!result.succeeded()) {
            String hint = result.stderr().contains("unknown")
                    ? "; the kernel has no netem qdisc (load sch_netem or use a kernel with CONFIG_NET_SCH_NETEM)"
                    : "";
            throw new LabException("netem \"" + parameters + "\" on " + interfaceName + " in " + host.namespace()
                    + ": " + result.stderr().strip() + " (expected: tc accepts it)" + hint);
        }
        return lab.closeAtEnd(new Netem(host, interfaceName, parameters));
    }

    synchronized boolean available() {
        if (available == null) {
            LabHost host = lab.client();
            ExecResult result = host.exec(Lab.COMMAND_TIMEOUT, "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                    "delay", "0ms");
            available = result.succeeded();
            if (available) {
                host.exec(Lab.COMMAND_TIMEOUT, "tc", "qdisc", "del", "dev", "lo", "root").orThrow();
            }
        }
        return available;
    }
}
