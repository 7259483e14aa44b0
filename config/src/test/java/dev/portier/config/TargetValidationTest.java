package dev.portier.config;

import static dev.portier.config.ConfigAssertions.HOST_KEY;
import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.problems;
import static dev.portier.config.ConfigAssertions.target;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetValidationTest {

    /** One target whose line 3 is {@code key: value}. */
    private static String targetWith(String key, String value) {
        return "targets:\n  - name: t1\n    " + key + ": " + value + "\n"
                + (key.equals("address") ? "" : "    address: \"10.0.0.1:22\"\n")
                + (key.equals("hostKey") ? "" : "    hostKey: \"" + HOST_KEY + "\"\n")
                + (key.equals("accounts") ? "" : "    accounts: [admin]\n");
    }

    @Test
    void badTargetAddressIsReportedWithLineAndKey() {
        assertEquals("portier.yaml:3: targets[0].address: \"10.0.0.1:99999\" is not host[:port] (port 1-65535; IPv6 as [address]:port)",
                problem(targetWith("address", "\"10.0.0.1:99999\"")));
    }

    @Test
    void bareIpv6TargetAddressIsRefused() {
        assertEquals("portier.yaml:3: targets[0].address: \"fe80::1\" is not host[:port] (port 1-65535; IPv6 as [address]:port)",
                problem(targetWith("address", "\"fe80::1\"")));
    }

    @Test
    void missingHostKeyIsRequiredBecauseThereIsNoTrustOnFirstUse() {
        assertEquals("portier.yaml:2: targets[0].hostKey: is required" + TargetSection.HOST_KEY_HINT,
                problem("targets:\n  - name: t1\n    address: 10.0.0.1\n    accounts: [admin]\n"));
    }

    @Test
    void hostKeyWithSignatureAlgorithmAsTypeIsRefused() {
        String key = HOST_KEY.replace("ssh-ed25519", "rsa-sha2-256");
        assertEquals("portier.yaml:3: targets[0].hostKey: " + Problems.quote(key)
                        + " is not an OpenSSH public key: rsa-sha2-256 is a signature algorithm, not a key type; RSA keys are written ssh-rsa",
                problem(targetWith("hostKey", "\"" + key + "\"")));
    }

    @Test
    void hostKeyWhoseDataIsAnotherTypeIsRefused() {
        String key = HOST_KEY.replace("ssh-ed25519", "ssh-rsa");
        assertEquals("portier.yaml:3: targets[0].hostKey: " + Problems.quote(key)
                        + " is not an OpenSSH public key: declared as ssh-rsa but the key data is \"ssh-ed25519\"",
                problem(targetWith("hostKey", "\"" + key + "\"")));
    }

    @Test
    void hostKeyThatIsNotBase64IsRefused() {
        assertEquals("portier.yaml:3: targets[0].hostKey: \"ssh-ed25519 not*base64\" is not an OpenSSH public key: the key data is not valid base64",
                problem(targetWith("hostKey", "\"ssh-ed25519 not*base64\"")));
    }

    @Test
    void invalidTargetNameIsReported() {
        assertEquals("portier.yaml:2: targets[0].name: \"-rtr\" is not a valid target name ([A-Za-z0-9][A-Za-z0-9._-]{0,62})",
                problem("targets:\n  - name: \"-rtr\"\n    address: 10.0.0.1\n    hostKey: \"" + HOST_KEY + "\"\n    accounts: [admin]\n"));
    }

    @Test
    void duplicateTargetNameIsReportedIgnoringCase() {
        assertEquals("portier.yaml:7: targets[1].name: duplicate target name \"RTR-1\" (first at line 2)",
                problem("targets:\n" + target("rtr-1", "[admin]") + target("RTR-1", "[admin]")));
    }

    @Test
    void missingAccountsAreRequired() {
        assertEquals("portier.yaml:2: targets[0].accounts: is required: list the accounts Portier logs in as, e.g. [admin];"
                        + " the first is the default",
                problem("targets:\n  - name: t1\n    address: 10.0.0.1\n    hostKey: \"" + HOST_KEY + "\"\n"));
    }

    @Test
    void emptyAccountListIsRefused() {
        assertEquals("portier.yaml:3: targets[0].accounts: must list at least one account, e.g. [admin]",
                problem(targetWith("accounts", "[]")));
    }

    @Test
    void accountNameWithSeparatorIsRefused() {
        assertEquals("portier.yaml:3: targets[0].accounts[1]: \"ad@min\" is not a valid account name ([A-Za-z0-9._-]{1,64});"
                        + " ':', '#', '@' and '/' separate the parts of an SSH username",
                problem(targetWith("accounts", "[root, \"ad@min\"]")));
    }

    @Test
    void duplicateAccountWithinATargetIsReported() {
        assertEquals("portier.yaml:3: targets[0].accounts[1]: duplicate account \"admin\" (first at line 3)",
                problem(targetWith("accounts", "[admin, admin]")));
    }

    @Test
    void unknownClassificationListsTheAllowedOnes() {
        assertEquals("portier.yaml:3: targets[0].classification: unknown classification \"secret\";"
                        + " allowed: public, internal, confidential, restricted",
                problem(targetWith("classification", "secret")));
    }

    @Test
    void algorithmsMustBeListsOfStrings() {
        assertEquals(List.of(
                        "portier.yaml:3: targets[0].algorithms.compression: unknown key; allowed keys: kex, ciphers, macs, hostKeys",
                        "portier.yaml:3: targets[0].algorithms.kex: expected a list of strings, e.g. [a, b], got \"curve25519-sha256\""),
                problems(targetWith("algorithms", "{ kex: curve25519-sha256, compression: [none] }")));
    }

    @Test
    void labelValuesMustBeScalars() {
        assertEquals("portier.yaml:3: targets[0].labels.site: expected a string, got a list",
                problem(targetWith("labels", "{ site: [bru, ams] }")));
    }
}
