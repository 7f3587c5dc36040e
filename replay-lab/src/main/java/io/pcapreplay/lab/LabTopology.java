package io.pcapreplay.lab;

import java.util.List;

/** Builds a lab's namespaces, links, addresses, sysctls and routes with ip(8) (one shell script per host). */
final class LabTopology {
    private LabTopology() {
    }

    static void build(Lab lab) {
        for (LabRole role : LabRole.values()) {
            lab.runRoot("ip", "netns", "add", lab.host(role).namespace());
        }
        for (LabLink link : LabLink.values()) {
            LabHost first = lab.host(link.first());
            LabHost second = lab.host(link.second());
            lab.runRoot("ip", "-n", first.namespace(), "link", "add", first.interfaceName(link), "type", "veth",
                    "peer", "name", second.interfaceName(link), "netns", second.namespace());
        }
        // the target last: its routes need the peers' ends up
        for (LabRole role : List.of(LabRole.CLIENT, LabRole.ASSISTANT, LabRole.TARGET)) {
            LabHost host = lab.host(role);
            host.exec(Lab.COMMAND_TIMEOUT, "sh", "-c", script(host)).orThrow();
        }
    }

    /** The shell script that configures one host inside its namespace. */
    static String script(LabHost host) {
        StringBuilder script = new StringBuilder("set -e\n");
        script.append("w() { echo \"$2\" > \"/proc/sys/net/$1\"; }\n");
        script.append("w ipv4/ip_forward 0\n");
        script.append("w ipv6/conf/all/forwarding 0\n");
        script.append("ip link set lo up\n");
        for (LabLink link : LabLink.values()) {
            if (!link.connects(host.role())) {
                continue;
            }
            String name = host.interfaceName(link);
            for (String sysctl : List.of("accept_dad", "dad_transmits", "router_solicitations", "accept_ra")) {
                script.append("w ipv6/conf/").append(name).append('/').append(sysctl).append(" 0\n");
            }
            script.append("ip addr add ").append(host.ipv4(link).getHostAddress()).append('/')
                    .append(LabLink.IPV4_PREFIX_LENGTH).append(" dev ").append(name).append('\n');
            script.append("ip addr add ").append(host.ipv6(link).getHostAddress()).append('/')
                    .append(LabLink.IPV6_PREFIX_LENGTH).append(" dev ").append(name).append(" nodad\n");
            script.append("ip link set ").append(name).append(" up\n");
        }
        if (host.role() == LabRole.TARGET) {
            appendTargetRouting(host, script);
        }
        return script.toString();
    }

    private static void appendTargetRouting(LabHost target, StringBuilder script) {
        for (String name : List.of("all", "default", "lo", target.interfaceName(LabLink.CLIENT_TARGET),
                target.interfaceName(LabLink.TARGET_ASSISTANT))) {
            script.append("w ipv4/conf/").append(name).append("/rp_filter 0\n");
        }
        LabLink toAssistant = LabLink.TARGET_ASSISTANT;
        String device = target.interfaceName(toAssistant);
        script.append("ip route add ").append(Lab.FAKE_CLIENT_IPV4).append(" via ")
                .append(toAssistant.ipv4(LabRole.ASSISTANT).getHostAddress()).append(" dev ").append(device)
                .append('\n');
        script.append("ip -6 route add ").append(Lab.FAKE_CLIENT_IPV6).append(" via ")
                .append(toAssistant.ipv6(LabRole.ASSISTANT).getHostAddress()).append(" dev ").append(device)
                .append('\n');
    }
}
