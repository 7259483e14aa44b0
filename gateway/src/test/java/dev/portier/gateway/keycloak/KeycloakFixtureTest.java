package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.testsupport.keycloak.Keycloak;
import dev.portier.testsupport.keycloak.KeycloakTokens.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test realms as Keycloak serves them: what every other Keycloak test relies on. */
class KeycloakFixtureTest {
    private final Keycloak kc = Keycloak.shared();

    @Test
    void bothRealmsAreImported() {
        assertEquals(List.of(TestRealms.EMPLOYEES, TestRealms.PARTNERS), kc.realms());
    }

    @Test
    void userWithOtpLogsInWithPasswordAndCurrentCode() {
        assertNotNull(TestRealms.KATE.login(kc, TestRealms.CLIENT).accessToken());
        assertNotNull(TestRealms.KATE_PARTNER.login(kc, TestRealms.CLIENT).accessToken());
    }

    @Test
    void userWithOtpIsRefusedWithoutTheCode() {
        Reply r = kc.tokens().passwordReply(TestRealms.EMPLOYEES, TestRealms.CLIENT, "kate", TestRealms.KATE.password(),
                null);
        assertFalse(r.ok(), "Keycloak must require the OTP of a user who has one");
    }

    @Test
    void adminServiceAccountReadsUsersOfItsRealm() {
        String token = kc.tokens().clientCredentials(TestRealms.EMPLOYEES, TestRealms.ADMIN_CLIENT,
                TestRealms.EMPLOYEES_ADMIN_SECRET).accessToken();
        assertNotNull(token);
        Reply r = kc.tokens().admin("GET", "/admin/realms/employees/users?username=sam&exact=true", null);
        assertTrue(r.ok(), r.error());
        assertEquals(TestRealms.SAM_KEY, r.json().get(0).path("attributes").path("ssh_public_keys").get(0).asText());
    }
}
