package io.pcapreplay.tcp;

/** How a {@link ClientAddressPool} walks its address × port space. */
public enum AddressAllocation {
    /** Consecutive users get consecutive addresses; the port changes once every address was used (tcpburn). */
    IP_FIRST,
    /** Consecutive users share an address with consecutive ports; the address changes when its ports run out. */
    PORT_FIRST;

    /** Parses {@code ip-first} / {@code port-first} (case and separator insensitive). */
    public static AddressAllocation parse(String text) {
        String normalized = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (AddressAllocation value : values()) {
            if (value.name().equals(normalized)) {
                return value;
            }
        }
        throw new IllegalArgumentException("address allocation: '" + text + "' (expected: ip-first or port-first)");
    }
}
