package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawIpSocketTest {

    @Test
    void shouldExplainPermissionWhenOpenIsDenied() {
        String message = RawIpSocket.describeOpenError(RawIpSocket.Family.IPV4, Errno.EPERM);

        assertThat(message).startsWith("raw socket: permission denied")
                .contains("(expected: root or CAP_NET_RAW)").contains("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
    }

    @Test
    void shouldNameErrnoWhenOpenFailsOtherwise() {
        String message = RawIpSocket.describeOpenError(RawIpSocket.Family.IPV6, Errno.EAFNOSUPPORT);

        assertThat(message).contains("AF_INET6").contains("EAFNOSUPPORT(97)").contains("IPv6");
    }
}
