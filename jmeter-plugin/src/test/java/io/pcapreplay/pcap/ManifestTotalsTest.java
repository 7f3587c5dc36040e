package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Session counts and payload byte totals of chosen public captures, against shared/pcaps/public/MANIFEST.md.
 *
 * <p>The expected bytes are the distinct payload bytes (request + response). Without retransmissions that is the
 * MANIFEST's "bytes" column. With retransmissions or duplicate frames the MANIFEST counts the repeated bytes too;
 * the figure here then comes from src/test/resources/captures/unique_bytes.py (union of the {@code seq X:Y} ranges
 * printed by {@code tcpdump -nn -S -r FILE}, per direction), noted on each row with the MANIFEST figure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManifestTotalsTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    @ParameterizedTest(name = "{0}: {1} sessions, {2} bytes ({3})")
    @CsvSource(delimiter = ';', value = {
        "zeek__http_get.pcap; 1; 5143; EN10MB baseline",
        "zeek__http-vlan-0.pcap; 1; 5143; 802.1Q",
        "zeek__http-qinq-0.pcap; 1; 5143; 802.1ad QinQ",
        "zeek__vlan-qinqinq.pcap; 1; 5143; three VLAN tags",
        "zeek__tls_irc-starttls.pcap; 1; 2816; LINUX_SLL",
        "zeek__tls_openjdk-25.0.2-zeek.org.pcap; 1; 3377; LINUX_SLL2",
        "zeek__tcp_payload-syn.pcap; 1; 100; RAW, request in the SYN",
        "zeek__http_basic-auth-with-colon.pcap; 1; 984; IPV4 (228)",
        "zeek__redis_pipelining-example.pcap; 1; 39; NULL, IPv6",
        "gopacket__pcap_test_loopback.pcap; 1; 56331; NULL, IPv6, 16 KB segments",
        "zeek__nflog-http.pcap; 1; 1682; NFLOG, duplicate frames carry no payload: union = MANIFEST",
        "zeek__http_get-to-ssh-server.pcap; 1; 626; nanosecond pcap",
        "tcpreplay__test_test_nano.pcap; 7; 53446; nanosecond pcap, VLAN, IPv6",
        "zeek__http_cooper-grill-dvwa.pcapng; 3; 16649; pcapng",
        "zeek__krb_kerberos_tso.pcapng; 11; 57461; pcapng, TSO-sized segments",
        "tcpdump__tests_of13_ericsson.pcapng; 20; 102262; pcapng, 18 of 20 without SYN",
        "zeek__ldap_modify-request.pcapng; 1; 5779; pcapng, interfaces differ: read without libpcap; IPv6",
        "zeek__ipv6-http-atomic-frag.pcap; 4; 412; IPv6 atomic fragments",
        "zeek__http_1000-requests-one-dropped-response.pcap; 1; 996757; IPv6, one lost segment (not counted)",
        "zeek__http_get_nosyn.pcap; 1; 5143; no SYN",
        "zeek__tcp_missing-syn.pcap; 1; 9515; no SYN",
        "zeek__redis_django-cloud.pcapng; 1; 19034; pcapng, no SYN",
        "zeek__communityid_tcp.pcap; 0; 0; snaplen 96 cut the request: left out (TRUNCATED)",
        "tcpdump__tests_bigtcp-ipv4.pcap; 1; 80000; BIG TCP, IPv4 total length 0",
        "tcpdump__tests_bigtcp-ipv6-hbh.pcap; 1; 80000; BIG TCP, IPv6 jumbogram",
        "tcpdump__tests_ipv4_tcp_http_xml_tso.pcap; 1; 1976; TSO, IPv4 total length 0",
        "zeek__http_http-post-large.pcap; 2; 244780; 32 KB offload segments",
        "zeek__http_206_example_a.pcap; 2; 557058; retransmissions: MANIFEST 581878 incl. 24820 repeated",
        "zeek__http_206_example_c.pcap; 2; 539920; retransmissions: MANIFEST 551925 incl. 12005 repeated",
        "zeek__http_m57-long-49600-80.pcap; 1; 18680; every frame twice: MANIFEST 37360 = 2 x 18680",
        "zeek__tcp_retransmit-timeout.pcapng; 1; 18; the 18-byte request twice: MANIFEST 36",
        "zeek__tcp_retransmit-fast009.pcap; 0; 0; frames cut at 74 bytes, the request too: left out (TRUNCATED)",
    })
    void shouldMatchManifestWhenReadingChosenCapture(String file, int sessions, long bytes, String what)
        throws CaptureException {
        Capture capture = TestCaptures.readPublic(file);

        assertThat(capture.sessions()).as(what).hasSize(sessions);
        assertThat(capture.totals().requestBytes() + capture.totals().responseBytes()).as(what).isEqualTo(bytes);
    }

    @Test
    void shouldAccountForEveryManifestByteWhenCaptureHasOverlapsAndFramesShorterThanTheirIpLength()
        throws CaptureException {
        // tcp/reassembly.pcap: 20 retransmissions (some overlapping), 8 lost segments, and 5 frames whose IP total
        // length claims 8 or 20 bytes more than the frame has ("truncated-ip" in tcpdump). The MANIFEST figure
        // (tshark, 34370) counts the payload the frames carry, repeated bytes included.
        Capture capture = TestCaptures.readPublic("zeek__tcp_reassembly.pcap");

        CaptureTotals totals = capture.totals();
        assertThat(totals.requestBytes() + totals.responseBytes() + totals.retransmittedBytes()).isEqualTo(34370);
        assertThat(capture.sessions().get(0).hasProblem(ProblemKind.GAP)).isTrue();
    }
}
