package io.pcapreplay.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Agent to replayer: the answer to {@link HostQueryMessage}, facts about the agent's host as name/value pairs
 * (type 0x23). Names the agent reports (a replayer ignores names it does not know; an agent leaves out what it
 * cannot read):
 * <ul>
 *   <li>{@value #IPV4_FORWARDING}, {@value #IPV6_FORWARDING}: the host forwards packets (1) or not (0); it must not,
 *       or the target's answers go on past the capture;</li>
 *   <li>{@code net.ipv4.conf.DEVICE.forwarding}, {@code net.ipv6.conf.DEVICE.forwarding}: the same per capture
 *       device (what decides for packets arriving there);</li>
 *   <li>{@value #CAPTURE_DEVICES} (comma-separated) and {@value #CAPTURE_FILTER}: where and what the agent
 *       captures.</li>
 * </ul>
 * <pre>
 * +--------+--------+--------+--------+--------+---------------------------------------------------------+
 * |        request id (uint32)        | count  | count x { name (u8 length, UTF-8), value (u16 length, UTF-8) }
 * |                                   | (uint8)|                                                         |
 * +--------+--------+--------+--------+--------+---------------------------------------------------------+
 * </pre>
 *
 * @param requestId the query's id
 * @param facts at most {@value AgentProtocol#MAX_HOST_FACTS} pairs in the agent's order; names 1 to 64 UTF-8 bytes,
 *     values at most 1024
 */
public record HostReportMessage(long requestId, Map<String, String> facts) implements AgentMessage {

    /** Whether the host forwards IPv4 packets ({@code /proc/sys/net/ipv4/ip_forward}). */
    public static final String IPV4_FORWARDING = "net.ipv4.ip_forward";
    /** Whether the host forwards IPv6 packets ({@code /proc/sys/net/ipv6/conf/all/forwarding}). */
    public static final String IPV6_FORWARDING = "net.ipv6.conf.all.forwarding";
    /** The agent's capture devices, comma-separated. */
    public static final String CAPTURE_DEVICES = "capture.devices";
    /** The agent's capture filter (pcap-filter syntax). */
    public static final String CAPTURE_FILTER = "capture.filter";

    /** Validates the id and every pair; keeps the order. */
    public HostReportMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
        if (facts == null) {
            throw new IllegalArgumentException("host facts: null (expected: a map)");
        }
        Limits.range("host fact count", facts.size(), 0, AgentProtocol.MAX_HOST_FACTS);
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            String name = Limits.text("host fact name", fact.getKey(), AgentProtocol.MAX_NAME_BYTES);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("host fact name: empty (expected: 1.."
                        + AgentProtocol.MAX_NAME_BYTES + " UTF-8 bytes)");
            }
            copy.put(name, Limits.text("host fact " + name, fact.getValue(), AgentProtocol.MAX_TEXT_BYTES));
        }
        facts = Collections.unmodifiableMap(copy);
    }

    /** @return the bytes of the pairs on the wire */
    int pairsLength() {
        int length = 0;
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            length += 1 + fact.getKey().getBytes(StandardCharsets.UTF_8).length
                    + 2 + fact.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return length;
    }

    @Override
    public MessageType type() {
        return MessageType.HOST_REPORT;
    }
}
