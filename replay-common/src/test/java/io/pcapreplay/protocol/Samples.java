package io.pcapreplay.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One sample of every message type, with edge values. */
final class Samples {

    private Samples() {
    }

    static List<AgentMessage> all() {
        byte[] ipPacket = new byte[60];
        for (int i = 0; i < ipPacket.length; i++) {
            ipPacket[i] = (byte) (i * 7);
        }
        return List.of(
                HelloMessage.of("s3cret-token", "engine-1", AgentProtocol.WHOLE_PAYLOAD),
                new HelloMessage(0xFFFF, "", "ünïcode", 0),
                new AcceptMessage(1, "0.1.0-SNAPSHOT", 65_535, 1024, 64, 30_000),
                new AcceptMessage(1, "", 0xFFFF_FFFFL, 0, 1, 0xFFFF_FFFFL),
                new RejectMessage(ErrorCode.BAD_TOKEN, "auth token: wrong (expected: the agent's token)"),
                new RegisterMessage(7, List.of(AddressRange.parse("198.18.0.0/15"), AddressRange.parse("2001:2::/48"))),
                new RegisterMessage(0xFFFF_FFFFL, List.of(AddressRange.parse("0.0.0.0/0"), AddressRange.parse("::/0"),
                        AddressRange.parse("198.18.1.2/32"))),
                new UnregisterMessage(8, List.of(AddressRange.parse("198.18.0.0/16"))),
                new AckMessage(7),
                HeartbeatMessage.probe(1_700_000_000_000_000_000L, HeartbeatMessage.UNKNOWN_OFFSET, -1),
                HeartbeatMessage.probe(-5, -250_000_000L, 42_000),
                HeartbeatMessage.answer(HeartbeatMessage.probe(7, 0, 0), Long.MAX_VALUE, Long.MIN_VALUE),
                new CapturedMessage(List.of(new CapturedPacket(1_700_000_000_123_456_789L, 60, ipPacket),
                        new CapturedPacket(5, 1500, new byte[40]), new CapturedPacket(6, 0, new byte[0]))),
                new StatsMessage(1, 2, 3, 4, 5, Long.MAX_VALUE, -1),
                new ErrorMessage(9, ErrorCode.RANGE_OWNED, "range 198.18.0.0/16: owned by engine-2"),
                new ErrorMessage(0, ErrorCode.UNKNOWN, ""),
                new HostQueryMessage(5),
                new HostReportMessage(5, hostFacts()),
                new HostReportMessage(0xFFFF_FFFFL, Map.of()));
    }

    private static Map<String, String> hostFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(HostReportMessage.IPV4_FORWARDING, "0");
        facts.put(HostReportMessage.CAPTURE_FILTER, "tcp and dst net 198.18.0.0/15");
        facts.put("ünïcode", "");
        return facts;
    }
}
