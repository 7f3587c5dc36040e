package io.pcapreplay.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The replayer host's connection tracking (netfilter conntrack), tcpburn's warning made exact. Raw IP packets pass
 * the OUTPUT hook like any local packet; when a ruleset in this network namespace uses conntrack (a {@code ct state}
 * rule, NAT, a firewall such as ufw or firewalld), every replayed session gets an entry that only ever sees one
 * direction (the target's answers go to the assistant): it stays in SYN_SENT for
 * {@code nf_conntrack_tcp_timeout_syn_sent} (120 s), and every later packet of the session (ACKs, data, FIN) is
 * INVALID to conntrack. So a rule dropping INVALID packets stalls every session after its SYN (the raw socket's
 * {@code sendto} fails with EPERM), and at a high session rate the table fills ({@code nf_conntrack_max}) and the
 * kernel drops packets, the host's own too. The fix is a NOTRACK rule for the fake client range, or the
 * {@code datalink} transport (frames written below netfilter). Whether the fake clients are tracked shows only when a
 * packet is sent: the probe looks for its entry in {@code /proc/net/nf_conntrack}.
 */
final class Conntrack {

    static final String NAME = "conntrack";
    private static final int MAX_TABLE_LINES = 1_000_000;

    private final Path netfilter;
    private final Path table;

    /**
     * What the kernel says about the table, now.
     *
     * @param loaded whether conntrack is in this kernel (its sysctls exist in this network namespace)
     * @param count entries now, -1 unknown
     * @param max the table size, -1 unknown
     * @param synSentSeconds how long an entry waits for the SYN-ACK, -1 unknown
     */
    record State(boolean loaded, long count, long max, long synSentSeconds) {

        /** Returns the new sessions per second the free entries allow when each holds one for SYN_SENT; -1. */
        long sessionsPerSecond() {
            return max < 0 || synSentSeconds <= 0 ? -1 : Math.max(0, max - Math.max(0, count)) / synSentSeconds;
        }

        boolean nearlyFull() {
            return max > 0 && count >= max * 9 / 10;
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d of %,d entries in use", count, max);
        }
    }

    /** The conntrack of this network namespace. */
    Conntrack() {
        this(Path.of("/proc/sys/net/netfilter"), Path.of("/proc/net/nf_conntrack"));
    }

    Conntrack(Path netfilter, Path table) {
        this.netfilter = netfilter;
        this.table = table;
    }

    State read() {
        Path count = netfilter.resolve("nf_conntrack_count");
        if (!Files.exists(count)) {
            return new State(false, -1, -1, -1);
        }
        return new State(true, number(count), number(netfilter.resolve("nf_conntrack_max")),
            number(netfilter.resolve("nf_conntrack_tcp_timeout_syn_sent")));
    }

    /**
     * Looks for the entry of one TCP connection this host opened.
     *
     * @return whether conntrack tracks it, or null when the table cannot be read
     */
    Boolean tracks(String client, int clientPort, String target, int targetPort) {
        if (!Files.isReadable(table)) {
            return null;
        }
        String source = " src=" + client + " dst=" + target + " sport=" + clientPort + " dport=" + targetPort + " ";
        try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
            String line;
            for (int lines = 0; lines < MAX_TABLE_LINES && (line = reader.readLine()) != null; lines++) {
                if (line.contains(source)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The check without a probe: the transport, whether conntrack is there, and how full it is. */
    static CheckResult check(TransportSpec transport, State state, List<String> clientRanges) {
        if (transport.datalink()) {
            return CheckResult.ok(NAME, "not involved: the datalink transport writes frames below netfilter");
        }
        if (!state.loaded()) {
            return CheckResult.ok(NAME, "not in this kernel (no /proc/sys/net/netfilter/nf_conntrack_count): the "
                + "replayed packets are not tracked");
        }
        if (state.nearlyFull()) {
            List<String> fixes = new ArrayList<>(List.of("see what fills it: conntrack -C, or head "
                + "/proc/net/nf_conntrack", "make it larger: sysctl -w net.netfilter.nf_conntrack_max="
                + Math.max(state.max() * 2, 262_144)));
            fixes.addAll(notrack(clientRanges));
            return new CheckResult(NAME, CheckStatus.FAIL, "table nearly full: " + state.describe() + ": the kernel "
                + "drops packets of new connections (the replayed ones if tracked, and this host's own)", fixes);
        }
        return CheckResult.ok(NAME, "loaded, " + state.describe() + "; whether it tracks the fake clients shows "
            + "when a SYN is sent (the probe)");
    }

    /**
     * The check after the probe's SYN (and, when tracked, its ACK) went out.
     *
     * @param tracked whether the SYN left an entry (null: unknown)
     * @param ackFailure why the probe's ACK could not be sent, or null
     */
    static CheckResult afterProbe(TransportSpec transport, State state, Boolean tracked, String ackFailure,
            List<String> clientRanges) {
        CheckResult basic = check(transport, state, clientRanges);
        if (transport.datalink() || !state.loaded() || basic.failed()) {
            return basic;
        }
        if (ackFailure != null) {
            List<String> fixes = new ArrayList<>(List.of("see the rule: nft list ruleset | grep -i invalid"));
            fixes.addAll(notrack(clientRanges));
            return new CheckResult(NAME, CheckStatus.FAIL, "a rule of this host drops what conntrack marks INVALID: "
                + "the probe's ACK was refused (" + ackFailure + "); conntrack never sees the target's answers (they "
                + "go to the assistant), so every packet after a session's SYN is INVALID and every session stalls",
                fixes);
        }
        if (Boolean.TRUE.equals(tracked)) {
            List<String> fixes = new ArrayList<>(notrack(clientRanges));
            fixes.add("or send with the datalink transport (frames bypass netfilter): transport 'datalink IFACE'");
            return new CheckResult(NAME, CheckStatus.WARN, String.format(Locale.ROOT, "tracks the fake clients: each "
                + "replayed session holds an entry for %d s (SYN_SENT: the answers never come here), %s: at most "
                + "about %,d new sessions/s before the table is full and the kernel drops packets, this host's own "
                + "too", state.synSentSeconds(), state.describe(), state.sessionsPerSecond()), fixes);
        }
        if (Boolean.FALSE.equals(tracked)) {
            return CheckResult.ok(NAME, "loaded, but the probe's SYN left no entry: the fake clients are not tracked "
                + "(" + state.describe() + ")");
        }
        return basic;
    }

    /** The nft commands that exempt the fake client ranges from tracking (tested in the lab). */
    static List<String> notrack(List<String> clientRanges) {
        String ranges = String.join(", ", clientRanges);
        return List.of("exempt the fake clients from tracking (nftables, as root):",
            "  nft add table ip pcapreplay",
            "  nft add chain ip pcapreplay output '{ type filter hook output priority raw; }'",
            "  nft add rule ip pcapreplay output ip saddr '{ " + ranges + " }' notrack");
    }

    private static long number(Path file) {
        try {
            // one read of the whole file: /proc/sys answers a read at an offset with nothing (Files.readString
            // reads a 0-byte file in small steps and would get only its first byte)
            return Long.parseLong(String.join("", Files.readAllLines(file)).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
