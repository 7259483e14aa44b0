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

    @Test
    void realmQualifiedUserKeepsTheGrammar() {
        assertEquals(new SshLogin("kate@partners", null, null), SshLogin.parse("kate@partners").orElseThrow());
        assertEquals(new SshLogin("kate@partners", null, "rtr-01"), SshLogin.parse("kate@partners:rtr-01").orElseThrow());
        assertEquals(new SshLogin("kate@partners", "admin", "lab"), SshLogin.parse("kate@partners#admin@lab")
                .orElseThrow());
        assertEquals("kate@partners:admin@lab", SshLogin.parse("kate@partners#admin@lab").orElseThrow().display());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kate@", "kate@@partners", "kate@partners@x", "@partners", "kate@-x", "kate@part ners",
        "kate@partners:", "kate@par/tners"})
    void malformedRealmQualifiedNamesAreRejected(String username) {
        assertTrue(SshLogin.parse(username).isEmpty(), username);
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
