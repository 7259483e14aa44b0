package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code siem:}. */
class SiemValidationTest {

    @Test
    void nothingIsExportedWithoutASiemSection() throws ConfigException {
        assertEquals(SiemConfig.NONE, ConfigLoader.parse("", "portier.yaml").siem());
        assertFalse(ConfigLoader.defaults().siem().enabled());
    }

    @Test
    void syslogReceiverIsReadWithEveryKey() throws ConfigException {
        SiemConfig siem = ConfigLoader.parse("siem:\n  syslog:\n    address: \"siem.example.net:6514\"\n    tls: true\n"
                + "    ca: /etc/portier/siem-ca.pem\n    format: cef\n    appName: portier-bru\n  pseudonymize: true\n",
                "portier.yaml").siem();
        assertEquals(new SiemConfig(new SyslogConfig(new HostPort("siem.example.net", 6514), true,
                Path.of("/etc/portier/siem-ca.pem"), SyslogConfig.Format.CEF, "portier-bru"), true), siem);
    }

    @Test
    void tlsAndJsonAreTheDefaults() throws ConfigException {
        SyslogConfig syslog = ConfigLoader.parse("siem: { syslog: { address: \"10.0.0.9:6514\" } }\n", "portier.yaml")
                .siem().syslog();
        assertTrue(syslog.tls());
        assertEquals(SyslogConfig.Format.JSON, syslog.format());
        assertEquals("portier", syslog.appName());
    }

    @Test
    void addressNeedsAPort() {
        assertEquals("portier.yaml:1: siem.syslog.address: \"siem.example.net\" is not host:port (port 1-65535;"
                + " IPv6 as [address]:port)", problem("siem: { syslog: { address: siem.example.net } }\n"));
    }

    @Test
    void missingAddressIsNamed() {
        assertEquals("portier.yaml:1: siem.syslog.address: is required: the receiver as host:port, e.g."
                + " siem.example.net:6514", problem("siem: { syslog: { format: json } }\n"));
    }

    @Test
    void unknownFormatListsTheAllowedOnes() {
        assertEquals("portier.yaml:1: siem.syslog.format: unknown format \"leef\"; allowed: json, cef",
                problem("siem: { syslog: { address: \"h:514\", tls: false, format: leef } }\n"));
    }

    @Test
    void caWithoutTlsIsRefused() {
        assertEquals("portier.yaml:1: siem.syslog.ca: applies only with tls: true",
                problem("siem: { syslog: { address: \"h:514\", tls: false, ca: ca.pem } }\n"));
    }

    @Test
    void appNameWithASpaceIsRefused() {
        assertEquals("portier.yaml:1: siem.syslog.appName: must be 1 to 48 printable ASCII characters without spaces"
                + " (RFC 5424 APP-NAME)", problem("siem: { syslog: { address: \"h:514\", appName: \"por tier\" } }\n"));
    }

    @Test
    void pseudonymizeWithoutAnExportIsRefused() {
        assertEquals("portier.yaml:1: siem.pseudonymize: applies only to an export; add siem.syslog or remove it",
                problem("siem: { pseudonymize: true }\n"));
    }

    @Test
    void unknownSyslogKeyIsRefused() {
        assertEquals("portier.yaml:3: siem.syslog.port: unknown key; allowed keys: address, tls, ca, format, appName",
                problem("siem:\n  syslog:\n    port: 514\n    address: \"h:514\"\n"));
    }

    @Test
    void dataDirFlagKeepsTheSiemSection() throws ConfigException {
        PortierConfig config = ConfigLoader.parse("siem: { syslog: { address: \"h:514\", tls: false } }\n", "portier.yaml");
        assertEquals(config.siem(), config.withDataDir(Path.of("/tmp/x")).siem());
    }
}
