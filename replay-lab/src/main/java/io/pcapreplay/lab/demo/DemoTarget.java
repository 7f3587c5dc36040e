package io.pcapreplay.lab.demo;

/** The server the demo replays against, with the bundled capture recorded against it. */
public enum DemoTarget {

    /** The embedded Java target (io.pcapreplay.lab.target), replaying examples/pcaps/embedded-target.pcap. */
    EMBEDDED("embedded", "embedded-target.pcap", 8080, "the embedded Java target"),
    /** nginx configured as recorded, replaying examples/pcaps/http-keepalive.pcap. */
    NGINX("nginx", "http-keepalive.pcap", 80, "nginx (serving what the capture recorded)");

    private final String optionValue;
    private final String capture;
    private final int port;
    private final String description;

    DemoTarget(String optionValue, String capture, int port, String description) {
        this.optionValue = optionValue;
        this.capture = capture;
        this.port = port;
        this.description = description;
    }

    /** The value of {@code --target}. */
    public String optionValue() {
        return optionValue;
    }

    /** The capture's file name in examples/pcaps. */
    public String capture() {
        return capture;
    }

    /** The server port the capture recorded, where this target listens. */
    public int port() {
        return port;
    }

    /** What it is, for the output. */
    public String description() {
        return description;
    }

    /**
     * Returns the target named by {@code --target}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static DemoTarget fromOption(String value) {
        for (DemoTarget target : values()) {
            if (target.optionValue.equals(value)) {
                return target;
            }
        }
        throw new IllegalArgumentException("--target: " + value + " (expected: embedded or nginx)");
    }
}
