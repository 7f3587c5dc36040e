package io.pcapreplay.net;

import io.pcapreplay.protocol.HostReportMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The probe's result for a person: what came back, and when nothing did, the likely causes in the order they are
 * met in deployments, each with how to check it on the host concerned (the target's route and rp_filter cannot be
 * seen from the replayer).
 */
final class ProbeCheck {

    static final String NAME = "probe";

    private ProbeCheck() {
    }

    /**
     * @param result what the probe saw
     * @param target the target
     * @param targetPort its port
     * @param reach the target check from this host's own address, or null when not run
     * @param facts the agent's host report, or null
     * @param ranges the fake client ranges (CIDR)
     * @param timeout how long the probe waited
     */
    static CheckResult of(SynProbe.Result result, InetAddress target, int targetPort, CheckResult reach,
            Map<String, String> facts, List<String> ranges, Duration timeout) {
        String client = result.client().getHostAddress();
        String syn = "SYN from " + client + ":" + result.clientPort() + " to " + target.getHostAddress() + ":"
            + targetPort;
        return switch (result.answer()) {
            case SYN_ACK -> CheckResult.ok(NAME, String.format(Locale.ROOT, "%s answered by SYN-ACK through the agent "
                + "in %.1f ms%s; reset", syn, result.roundTripNanos() / 1e6, result.targetMss() > 0
                    ? " (target MSS " + result.targetMss() + ")" : ""));
            case RESET -> CheckResult.fail(NAME, syn + " answered by RST through the agent: the fake clients' path "
                + "works, but nothing accepts connections on port " + targetPort + " of the target",
                "on the target: ss -ltn 'sport = :" + targetPort + "' must list the server (or a firewall there "
                    + "rejects with tcp-reset: nft list ruleset)");
            case SEND_FAILED -> CheckResult.fail(NAME, syn + ": not sent: " + result.sendFailure(),
                "see the raw socket and conntrack checks; on this host: nft list ruleset");
            case NONE -> noAnswer(syn, client, target, reach, facts, ranges, timeout);
        };
    }

    private static CheckResult noAnswer(String syn, String client, InetAddress target, CheckResult reach,
            Map<String, String> facts, List<String> ranges, Duration timeout) {
        String context;
        if (reach == null) {
            context = "";
        } else if (reach.status() == CheckStatus.OK) {
            context = "; the target answers this host's own address, so the fake clients' way back is broken";
        } else {
            context = "; the target does not answer this host's own address either (see the target check first)";
        }
        String range = ranges.size() == 1 ? ranges.get(0) : ranges.isEmpty() ? client + "/32" : String.join(" ",
            ranges.subList(0, Math.min(3, ranges.size()))) + (ranges.size() > 3 ? " ..." : "");
        String devices = facts == null ? null : facts.get(HostReportMessage.CAPTURE_DEVICES);
        String filter = facts == null ? null : facts.get(HostReportMessage.CAPTURE_FILTER);
        String firstDevice = devices == null || devices.isBlank() ? "IFACE" : devices.split(",")[0];
        String t = target.getHostAddress();
        String first = ranges.isEmpty() ? client + "/32" : ranges.get(0);
        List<String> causes = new ArrayList<>();
        causes.add("likely causes, in order:");
        causes.add("1. no route on the target sends the fake clients to the assistant: on the target, 'ip route get "
            + client + "' must say 'via <the assistant's address on the target's network>'; fix there: ip route add "
            + first + " via <that address>");
        causes.add("2. rp_filter on the target drops packets from addresses it routes elsewhere: on the target, "
            + "'sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.<its interface towards this host>.rp_filter' must "
            + "not say 1 ('nstat -az TcpExtIPReversePathFilter' counts the drops); fix there: sysctl -w "
            + "net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.<that interface>.rp_filter=0");
        causes.add("3. the agent does not capture the answers: it captures on " + (devices == null ? "?" : devices)
            + " with filter '" + (filter == null ? "?" : filter) + "'; on the assistant, 'tcpdump -ni "
            + firstDevice + " tcp and src host " + t + "' must show the SYN-ACK while this check runs");
        causes.add("4. a firewall or anti-spoofing filter (cloud source/destination checks, uRPF) drops sources in "
            + range + " before the target: on the target, 'tcpdump -ni any src net " + first
            + "' shows nothing; where spoofed sources cannot pass, use transport kernel");
        return new CheckResult(NAME, CheckStatus.FAIL, "no answer within " + timeout.toMillis() + " ms to a " + syn
            + context, causes);
    }
}
