package dev.portier.gateway.ssh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.AlgorithmsConfig;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

class AlgorithmsTest {
    @Test
    void legacyAlgorithmsForOldEquipmentAreAccepted() {
        AlgorithmsConfig legacy = new AlgorithmsConfig(List.of("diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"),
                List.of("aes128-cbc", "3des-cbc"), List.of("hmac-sha1"), List.of("ssh-rsa"));
        assertDoesNotThrow(() -> Algorithms.validate("rtr-old", legacy));
    }

    @Test
    void unknownAlgorithmFailsAtStartupNamingTargetAndKey() {
        AlgorithmsConfig typo = new AlgorithmsConfig(List.of(), List.of("aes128-cbcx"), List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Algorithms.validate("rtr-old", typo));
        assertEquals("targets.rtr-old.algorithms.ciphers: unsupported aes128-cbcx", e.getMessage());
    }

    @Test
    void modernDefaultsPutAesGcmFirstAndOfferNoCbcOrSha1() {
        List<String> ciphers = NamedResource.getNameList(Algorithms.modernCiphers());
        assertEquals("aes128-gcm@openssh.com", ciphers.get(0));
        assertFalse(ciphers.stream().anyMatch(c -> c.contains("cbc")), ciphers.toString());
        assertFalse(NamedResource.getNameList(Algorithms.modernMacs()).contains("hmac-sha1"));
    }

    @Test
    void usersAreNotOfferedPureJavaChaCha() {
        List<String> ciphers = NamedResource.getNameList(Algorithms.userFacingCiphers());
        assertTrue(ciphers.stream().noneMatch(c -> c.startsWith("chacha20")), ciphers.toString());
    }
}
