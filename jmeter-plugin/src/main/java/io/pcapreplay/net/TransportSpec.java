package io.pcapreplay.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How replayed sessions reach the target: {@code raw-ip} (the engine's packets through a Linux raw IP socket; the
 * kernel routes them), {@code datalink IFACE [NEXT_HOP_MAC [SOURCE_MAC]]} (the engine's packets as frames with our
 * Ethernet header through a packet socket, tcpburn's {@code --pcap-send}; see {@link DatalinkSender}; without a
 * next-hop MAC the neighbour table's for the route to the target, see {@link NextHop}), or
 * {@code kernel [ADDRESS ...]}
 * (ordinary kernel TCP sockets from this host's own address, optionally bound to the listed local addresses,
 * round-robin; no root, no agent; see {@link io.pcapreplay.tcp.KernelReplayer}).
 *
 * @param kind which of the three
 * @param interfaceName the datalink interface, or null
 * @param nextHopMac the next hop's MAC, or null (datalink: found from the route to the target)
 * @param sourceMac the source MAC, or null for the interface's own
 * @param localAddresses the kernel transport's local addresses to bind (empty: the kernel chooses)
 */
public record TransportSpec(Kind kind, String interfaceName, String nextHopMac, String sourceMac,
                            List<InetAddress> localAddresses) {

    /** The three transports. */
    public enum Kind {
        /** The engine through a raw IP socket. */
        RAW_IP,
        /** The engine through Ethernet frames on a packet socket. */
        DATALINK,
        /** Kernel sockets, no engine. */
        KERNEL
    }

    /** The raw IP socket. */
    public static final TransportSpec RAW_IP = new TransportSpec(Kind.RAW_IP, null, null, null, List.of());
    /** Kernel sockets from the host's own address. */
    public static final TransportSpec KERNEL = new TransportSpec(Kind.KERNEL, null, null, null, List.of());
    /** The keyword of {@link #RAW_IP}. */
    public static final String RAW_IP_KEYWORD = "raw-ip";
    /** The keyword of datalink sending. */
    public static final String DATALINK_KEYWORD = "datalink";
    /** The keyword of kernel sockets. */
    public static final String KERNEL_KEYWORD = "kernel";

    private static final String RULE = "raw-ip, datalink IFACE [NEXT_HOP_MAC [SOURCE_MAC]] (e.g. "
            + "'datalink eth0' or 'datalink eth0 02:00:00:00:00:01'), or kernel [LOCAL_ADDRESS ...] (e.g. 'kernel' or "
            + "'kernel 10.0.0.5 10.0.0.6')";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** Validates the fields. */
    public TransportSpec {
        Objects.requireNonNull(kind, "kind");
        localAddresses = List.copyOf(localAddresses);
    }

    /**
     * Parses a transport; blank means raw IP.
     *
     * @param text the sampler's field
     * @return the transport
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static TransportSpec parse(String text) {
        String[] words = text == null ? new String[0] : text.trim().split("[\\s,]+");
        String keyword = words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
        if (keyword.isEmpty() || keyword.equals(RAW_IP_KEYWORD) && words.length == 1) {
            return RAW_IP;
        }
        if (keyword.equals(KERNEL_KEYWORD)) {
            return kernel(text, words);
        }
        if (!keyword.equals(DATALINK_KEYWORD) || words.length < 2 || words.length > 4) {
            throw new IllegalArgumentException("transport: '" + text + "' (expected: " + RULE + ")");
        }
        try {
            if (words.length >= 3) {
                DatalinkSender.parseMac("next-hop MAC", words[2]);
            }
            if (words.length == 4) {
                DatalinkSender.parseMac("source MAC", words[3]);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("transport: '" + text + "': " + e.getMessage(), e);
        }
        return new TransportSpec(Kind.DATALINK, words[1], words.length >= 3 ? words[2] : null,
            words.length == 4 ? words[3] : null, List.of());
    }

    private static TransportSpec kernel(String text, String[] words) {
        List<InetAddress> addresses = new ArrayList<>();
        for (int index = 1; index < words.length; index++) {
            String word = words[index];
            if (!IPV4.matcher(word).matches() && !IPV6.matcher(word).matches()) {
                throw new IllegalArgumentException("transport: '" + text + "': local address '" + word
                    + "' (expected: an IPv4 or IPv6 address of this host, not a name)");
            }
            try {
                InetAddress address = InetAddress.getByName(word); // a literal: no name lookup
                if (addresses.contains(address)) {
                    throw new IllegalArgumentException("transport: '" + text + "': local address " + word
                        + " twice (expected: each address once)");
                }
                addresses.add(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("transport: '" + text + "': local address '" + word
                    + "' (expected: an IPv4 or IPv6 address of this host)", e);
            }
        }
        return addresses.isEmpty() ? KERNEL : new TransportSpec(Kind.KERNEL, null, null, null, addresses);
    }

    /** Tells whether Ethernet frames are sent through a packet socket: whether they are. */
    public boolean datalink() {
        return kind == Kind.DATALINK;
    }

    /** Tells whether sessions use kernel sockets (no engine, no agent): whether they do. */
    public boolean kernel() {
        return kind == Kind.KERNEL;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RAW_IP -> RAW_IP_KEYWORD;
            case DATALINK -> DATALINK_KEYWORD + " " + interfaceName + (nextHopMac == null ? "" : " " + nextHopMac)
                + (sourceMac == null ? "" : " " + sourceMac);
            case KERNEL -> KERNEL_KEYWORD + localAddresses.stream().map(address -> " " + address.getHostAddress())
                .collect(Collectors.joining());
        };
    }
}
