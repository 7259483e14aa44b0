package dev.portier.gateway.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SshLoginTest {
    @Test
    void plainUserNamesNoTarget() {
        assertEquals(Optional.of(new SshLogin("alice", null, null)), SshLogin.parse("alice"));
    }

    @Test
    void colonAndHashSelectATarget() {
        assertEquals(Optional.of(new SshLogin("alice", null, "rtr-bru-01")), SshLogin.parse("alice:rtr-bru-01"));
        assertEquals(Optional.of(new SshLogin("alice", null, "rtr-bru-01")), SshLogin.parse("alice#rtr-bru-01"));
    }

    @Test
    void accountBeforeAtNamesTheAccount() {
        assertEquals(Optional.of(new SshLogin("alice", "admin", "rtr-bru-01")),
                SshLogin.parse("alice:admin@rtr-bru-01"));
        assertEquals(Optional.of(new SshLogin("alice", "admin", "rtr-bru-01")),
                SshLogin.parse("alice#admin@rtr-bru-01"));
    }

    @Test
    void displayNormalisesToColon() {
        assertEquals("alice:admin@rtr", SshLogin.parse("alice#admin@rtr").orElseThrow().display());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":rtr", "alice:", "alice:@rtr", "alice:a@", "alice:a@b@c", "alice:rtr/../x",
        "al ice", "alice:rtr\u001b[2J", "alice\n", "-alice", "alice::rtr", "alice:#rtr", "alice:r t r"})
    void malformedUsernamesAreRejected(String username) {
        assertTrue(SshLogin.parse(username).isEmpty(), username);
    }

    @Test
    void overlongUsernameIsRejected() {
        assertTrue(SshLogin.parse("a".repeat(300)).isEmpty());
    }
}
