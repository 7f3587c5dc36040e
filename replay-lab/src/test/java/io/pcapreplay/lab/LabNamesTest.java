package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LabNamesTest {

    @Test
    void shouldFitInterfaceLimitWhenPidIsLargest() {
        String id = LabNames.labId(4194304, 1295);

        assertThat(LabNames.interfaceName(id, LabRole.CLIENT, LabRole.TARGET)).isEqualTo("prl4194304xzzct")
                .hasSizeLessThanOrEqualTo(LabNames.MAX_INTERFACE_NAME);
    }

    @Test
    void shouldParseOwnerPidWhenNameIsALabs() {
        assertThat(LabNames.ownerPid("prl123x1a-client")).hasValue(123);
        assertThat(LabNames.ownerPid("prl77x3-493882")).hasValue(77);
        assertThat(LabNames.ownerPid(LabNames.namespace(LabNames.labId(42, 7), LabRole.ASSISTANT))).hasValue(42);
    }

    @Test
    void shouldIgnoreNameWhenNotALabs() {
        assertThat(LabNames.ownerPid("blue")).isEmpty();
        assertThat(LabNames.ownerPid("prlx1-client")).isEmpty();
        assertThat(LabNames.ownerPid("prl12-client")).isEmpty();
    }

    @Test
    void shouldComputeLinkAddressesWhenAskedPerRole() throws Exception {
        assertThat(LabLink.CLIENT_TARGET.ipv4(LabRole.TARGET)).isEqualTo(InetAddress.getByName("198.19.1.2"));
        assertThat(LabLink.CLIENT_ASSISTANT.ipv6(LabRole.ASSISTANT))
                .isEqualTo(InetAddress.getByName("2001:2:0:3::3"));
        assertThat(LabLink.between(LabRole.ASSISTANT, LabRole.TARGET)).isEqualTo(LabLink.TARGET_ASSISTANT);
        assertThat(LabLink.TARGET_ASSISTANT.peer(LabRole.TARGET)).isEqualTo(LabRole.ASSISTANT);
    }

    @Test
    void shouldContainAndOffsetAddressesWhenUsingPrefixes() throws Exception {
        assertThat(Lab.FAKE_CLIENT_IPV4.host(0x1_0203)).isEqualTo(InetAddress.getByName("198.19.2.3"));
        assertThat(Lab.FAKE_CLIENT_IPV4.contains(InetAddress.getByName("198.19.255.255"))).isTrue();
        assertThat(Lab.FAKE_CLIENT_IPV4.contains(InetAddress.getByName("198.20.0.0"))).isFalse();
        assertThat(Lab.FAKE_CLIENT_IPV6.host(5)).isEqualTo(InetAddress.getByName("2001:2:0:ff00::5"));
        assertThat(Lab.FAKE_CLIENT_IPV6.contains(InetAddress.getByName("2001:2:0:ffff::1"))).isTrue();
        assertThat(Lab.FAKE_CLIENT_IPV6.contains(InetAddress.getByName("2001:2:0:1::1"))).isFalse();
        assertThat(Lab.FAKE_CLIENT_IPV6).hasToString("2001:2:0:ff00:0:0:0:0/56");
    }
}
