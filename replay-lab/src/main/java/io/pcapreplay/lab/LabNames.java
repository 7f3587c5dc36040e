package io.pcapreplay.lab;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of lab resources. A lab id is {@code prl<owner JVM PID>x<counter in base 36>}; namespaces are
 * {@code <id>-client|target|assistant}; interfaces are {@code <id><role letter><peer letter>} (at most 15
 * characters). The owner PID in the name lets a later run remove what a dead JVM left behind.
 */
final class LabNames {
    static final String PREFIX = "prl";
    static final int MAX_INTERFACE_NAME = 15;
    private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "(\\d{1,10})x[0-9a-z]+(-.*)?$");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private LabNames() {
    }

    static String nextLabId() {
        return labId(ProcessHandle.current().pid(), COUNTER.incrementAndGet());
    }

    static String labId(long ownerPid, int counter) {
        return PREFIX + ownerPid + "x" + Integer.toString(counter, Character.MAX_RADIX);
    }

    static String namespace(String labId, LabRole role) {
        return labId + "-" + role.id();
    }

    static String interfaceName(String labId, LabRole role, LabRole peer) {
        String name = labId + role.letter() + peer.letter();
        if (name.length() > MAX_INTERFACE_NAME) {
            throw new LabException("interface name " + name + ": " + name.length() + " characters (expected: at most "
                    + MAX_INTERFACE_NAME + "); too many labs in one JVM");
        }
        return name;
    }

    /** The owner PID encoded in a lab namespace or directory name, empty when the name is not a lab's. */
    static OptionalLong ownerPid(String name) {
        Matcher matcher = OWNED.matcher(name);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(matcher.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
