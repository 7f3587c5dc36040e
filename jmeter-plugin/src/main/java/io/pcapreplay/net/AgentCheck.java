package io.pcapreplay.net;

import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.HostReportMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-flight results about the intercept agent (reachable, protocol version, token) and its host, the assistant
 * (forwarding off, what it captures), with the fix for each failure.
 */
final class AgentCheck {

    static final String AGENT = "agent";
    static final String ASSISTANT = "assistant";

    private AgentCheck() {
    }

    static CheckResult connected(InetSocketAddress agent, AcceptMessage accept) {
        return CheckResult.ok(AGENT, agent.getHostString() + ":" + agent.getPort() + " accepted this replayer: "
            + "protocol " + accept.version() + ", agent " + accept.agentVersion() + ", token accepted");
    }

    /** The agent setting itself is wrong (address, token file). */
    static CheckResult badSetting(String message) {
        return CheckResult.fail(AGENT, message, "the token file is the one the agent was started with (--token-file),"
            + " copied to this host; the agent address is host[:port] (port 36524 unless the agent's -p says "
            + "otherwise)");
    }

    static CheckResult failed(InetSocketAddress agent, AgentClientException failure) {
        String where = agent.getHostString() + ":" + agent.getPort();
        String message = failure.getMessage().replace(agent.toString(), where);
        return switch (failure.kind()) {
            case UNREACHABLE -> CheckResult.fail(AGENT, message,
                "start the agent on the assistant: java -jar intercept-agent-*.jar -i IFACE --token-file FILE "
                    + "(docs/intercept-agent.md; it logs 'listening for replayers')",
                "on the assistant: ss -ltn 'sport = :" + agent.getPort() + "' must list it (bound to an address "
                    + "this host reaches: -b)",
                "no firewall may block TCP port " + agent.getPort() + " from here to " + agent.getHostString());
            case REFUSED -> message.contains("BAD_TOKEN")
                ? CheckResult.fail(AGENT, message, "use the agent's token: the token file must hold what the agent's "
                    + "--token-file holds (copy that file here; surrounding whitespace is ignored)")
                : CheckResult.fail(AGENT, message, message.contains("TOO_MANY_REPLAYERS")
                    ? "stop other replayers, or restart the agent with a larger --max-replayers"
                    : "see the agent's log on the assistant");
            case VERSION_MISMATCH -> CheckResult.fail(AGENT, message, "run the agent jar of this plugin's release "
                + "(protocol " + AgentProtocol.VERSION + "): intercept-agent/target/intercept-agent-*.jar of the "
                + "same build");
            case REQUEST_FAILED -> CheckResult.fail(AGENT, message, message.contains("RANGE_OWNED")
                ? "another replayer connected to this agent (a test running now, or a jmeter-server) holds these "
                    + "client addresses: give each replayer its own (clientIps), or wait until it ends"
                : "see the agent's log on the assistant");
            default -> CheckResult.fail(AGENT, message, "is " + where + " the intercept agent's port (its -p, "
                + "36524 by default)? see the agent's log on the assistant");
        };
    }

    /** The assistant's host, from the agent's report. */
    static CheckResult assistant(Map<String, String> facts) {
        List<String> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        facts.forEach((name, value) -> {
            if (name.endsWith("forwarding") || name.equals(HostReportMessage.IPV4_FORWARDING)) {
                (value.trim().equals("0") ? off : on).add(name + "=" + value.trim());
            }
        });
        String devices = facts.getOrDefault(HostReportMessage.CAPTURE_DEVICES, "?");
        String capture = "the agent captures on " + devices + " with filter '"
            + facts.getOrDefault(HostReportMessage.CAPTURE_FILTER, "?") + "'";
        if (!on.isEmpty()) {
            List<String> fixes = new ArrayList<>();
            for (String setting : on) {
                fixes.add("on the assistant: sysctl -w " + setting.substring(0, setting.indexOf('=')) + "=0");
            }
            return new CheckResult(ASSISTANT, CheckStatus.FAIL, "the agent's host forwards packets (" + String.join(
                ", ", on) + "): the target's answers it captures also go on towards the fake clients (or back to the "
                + "target as ICMP errors) instead of ending there; " + capture, fixes);
        }
        if (off.isEmpty()) {
            return CheckResult.warn(ASSISTANT, "the agent did not say whether its host forwards packets; " + capture,
                "on the assistant: sysctl net.ipv4.ip_forward must say 0");
        }
        return CheckResult.ok(ASSISTANT, "forwarding off (" + String.join(", ", off) + "); " + capture);
    }

    /** The agent could not report its host. */
    static CheckResult assistantUnknown(String why) {
        return CheckResult.warn(ASSISTANT, "the agent did not report its host (" + why + ")",
            "on the assistant: sysctl net.ipv4.ip_forward must say 0 (else: sysctl -w net.ipv4.ip_forward=0)");
    }
}
