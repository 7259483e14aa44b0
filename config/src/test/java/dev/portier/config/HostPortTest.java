package dev.portier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void hostAndPortParse() {
        assertEquals(new HostPort("rtr-bru-01.example.net", 830), HostPort.parse("rtr-bru-01.example.net:830"));
        assertEquals(new HostPort("0.0.0.0", 2222), HostPort.parse("0.0.0.0:2222"));
    }

    @Test
    void bracketedIpv6Parses() {
        assertEquals(new HostPort("::1", 2222), HostPort.parse("[::1]:2222"));
        assertEquals(new HostPort("fe80::1%eth0", 22), HostPort.parse("[fe80::1%eth0]", 22));
        assertEquals("[::1]:2222", HostPort.parse("[::1]:2222").toString());
    }

    @Test
    void missingPortTakesTheDefaultWhenThereIsOne() {
        assertEquals(new HostPort("10.0.0.1", 22), HostPort.parse("10.0.0.1", HostPort.SSH_PORT));
        assertEquals("\"10.0.0.1\" is not host:port (port 1-65535; IPv6 as [address]:port)",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("10.0.0.1")).getMessage());
    }

    @Test
    void malformedAddressesAreRefused() {
        for (String bad : new String[] {"host:0", "host:65536", "host:x", ":22", "a b:22", "fe80::1", "[::1", "[zz]:22",
                "300.1.1.1:22", "host..example:22", "[::1]22"}) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad, 22), bad);
        }
    }
}
