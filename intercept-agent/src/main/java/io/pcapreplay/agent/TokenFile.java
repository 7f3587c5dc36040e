package io.pcapreplay.agent;

import io.pcapreplay.protocol.AgentProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads the shared secret: the file's content without surrounding whitespace, 1 to 256 UTF-8 bytes. */
public final class TokenFile {

    private TokenFile() {
    }

    /**
     * @param file the token file
     * @return the token
     * @throws IOException with a message naming the file and the rule broken
     */
    public static String read(Path file) throws IOException {
        String token;
        try {
            if (Files.size(file) > 4096) {
                throw new IOException("token file " + file + ": " + Files.size(file) + " bytes (expected: at most "
                        + AgentProtocol.MAX_TOKEN_BYTES + " bytes of secret)");
            }
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("token file ")) {
                throw e;
            }
            throw new IOException("token file " + file + ": cannot be read: " + e
                    + " (expected: a readable file holding the shared secret; create one with "
                    + "'head -c 24 /dev/urandom | base64 > " + file + "')", e);
        }
        int bytes = token.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > AgentProtocol.MAX_TOKEN_BYTES) {
            throw new IOException("token file " + file + ": token of " + bytes + " bytes (expected: 1.."
                    + AgentProtocol.MAX_TOKEN_BYTES + " bytes)");
        }
        return token;
    }

    /**
     * @param file the token file
     * @return what makes it readable by users other than its owner ("mode 644 is readable by group and others"),
     *         or null when only the owner may read it (or the file system has no POSIX permissions)
     */
    public static String exposure(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            boolean group = permissions.contains(PosixFilePermission.GROUP_READ);
            boolean others = permissions.contains(PosixFilePermission.OTHERS_READ);
            if (!group && !others) {
                return null;
            }
            return "mode " + PosixFilePermissions.toString(permissions) + " is readable by "
                    + (group && others ? "group and others" : group ? "its group" : "others");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
