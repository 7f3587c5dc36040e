package io.pcapreplay.agent.server;

import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.HostReportMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent answers a replayer's HOST_QUERY (see {@link HostReportMessage}): whether this host forwards packets
 * (read from {@code /proc/sys} at each query, so a fix shows without restarting the agent), in general and on each
 * capture device, and where and what it captures. A setting that cannot be read is left out.
 */
public final class HostFacts {

    private final Path procSys;
    private final List<String> devices;
    private final String filter;

    /**
     * @param devices the capture devices
     * @param filter the capture filter
     */
    public HostFacts(List<String> devices, String filter) {
        this(Path.of("/proc/sys"), devices, filter);
    }

    HostFacts(Path procSys, List<String> devices, String filter) {
        this.procSys = procSys;
        this.devices = List.copyOf(devices);
        this.filter = filter;
    }

    /** @return the facts, in a fixed order: forwarding (all, then per device), then the capture */
    public Map<String, String> read() {
        Map<String, String> facts = new LinkedHashMap<>();
        put(facts, HostReportMessage.IPV4_FORWARDING, "net/ipv4/ip_forward");
        put(facts, HostReportMessage.IPV6_FORWARDING, "net/ipv6/conf/all/forwarding");
        for (String device : devices) {
            if (device.equals("any") || device.contains("/") || device.contains("..")) {
                continue;
            }
            put(facts, "net.ipv4.conf." + device + ".forwarding", "net/ipv4/conf/" + device + "/forwarding");
            put(facts, "net.ipv6.conf." + device + ".forwarding", "net/ipv6/conf/" + device + "/forwarding");
        }
        if (facts.size() < AgentProtocol.MAX_HOST_FACTS - 1) {
            facts.put(HostReportMessage.CAPTURE_DEVICES, clip(String.join(",", devices)));
            facts.put(HostReportMessage.CAPTURE_FILTER, clip(filter));
        }
        return facts;
    }

    private void put(Map<String, String> facts, String name, String file) {
        if (facts.size() >= AgentProtocol.MAX_HOST_FACTS - 2 || name.length() > AgentProtocol.MAX_NAME_BYTES) {
            return;
        }
        try {
            // one read of the whole file: /proc/sys answers a read at an offset with nothing
            facts.put(name, clip(String.join("", Files.readAllLines(procSys.resolve(file))).strip()));
        } catch (IOException | RuntimeException e) {
            // not readable here (no IPv6, no such device): left out
        }
    }

    private static String clip(String text) {
        return text.length() <= AgentProtocol.MAX_TEXT_BYTES / 4 ? text
                : text.substring(0, AgentProtocol.MAX_TEXT_BYTES / 4);
    }
}
