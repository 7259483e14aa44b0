package dev.portier.gateway.keycloak;

import dev.portier.testsupport.keycloak.Keycloak;
import dev.portier.testsupport.keycloak.KeycloakTokens.TokenSet;
import dev.portier.testsupport.keycloak.Totp;

/**
 * The people and clients of the test realms ({@code src/test/resources/keycloak/*-realm.json}), in one place so a
 * test reads like the story it tells. Passwords and OTP secrets are test-only values.
 *
 * <p>Both realms: public client {@code portier} (device flow, code flow with PKCE, and the password grant the
 * tests use), {@code audience-app} (another application whose tokens name {@code portier} in {@code aud}),
 * {@code other-app} (a stranger to Portier), confidential {@code portier-admin} (service account: view-users, query-users,
 * query-groups, view-clients, view-events); realm roles operator, approver, auditor; client role
 * {@code portier:reviewer}; users may hold the attribute {@code ssh_public_keys}.
 */
public final class TestRealms {
    public static final String EMPLOYEES = "employees";
    public static final String PARTNERS = "partners";
    public static final String CLIENT = "portier";
    public static final String AUDIENCE_CLIENT = "audience-app";
    public static final String OTHER_CLIENT = "other-app";
    public static final String ADMIN_CLIENT = "portier-admin";
    public static final String EMPLOYEES_ADMIN_SECRET = "employees-admin-secret-for-tests-only";
    public static final String PARTNERS_ADMIN_SECRET = "partners-admin-secret-for-tests-only";

    /** A test user: realm, name, password, OTP secret ({@code null}: password only). */
    public record User(String realm, String name, String password, String otpSecret) {
        /** The current TOTP code, or {@code null} for a user without OTP. */
        public String totp() {
            return otpSecret == null ? null : Totp.now(otpSecret);
        }

        /** A fresh token set from {@code clientId} with password and OTP, as a CLI would get one. */
        public TokenSet login(Keycloak kc, String clientId) {
            return kc.tokens().password(realm, clientId, name, password, totp());
        }
    }

    /** employees: group netops, realm role operator, OTP. Same name as {@link #KATE_PARTNER}. */
    public static final User KATE = new User(EMPLOYEES, "kate", "kate-employees-pw", "kate-employees-totp!");
    /** employees: group security, realm role approver, OTP; one key in {@code ssh_public_keys}. */
    public static final User SAM = new User(EMPLOYEES, "sam", "sam-employees-pw", "sam-employees-totp!!");
    /** employees: group audit, realm role auditor, client role portier:reviewer; password only. */
    public static final User CARL = new User(EMPLOYEES, "carl", "carl-employees-pw", null);
    /** partners: group acme, realm role operator, OTP. */
    public static final User KATE_PARTNER = new User(PARTNERS, "kate", "kate-partners-pw", "kate-partners-totp!!!");
    /** partners: group acme, realm role operator, OTP. */
    public static final User PETE = new User(PARTNERS, "pete", "pete-partners-pw", "pete-partners-totp!!!");

    /** The public key registered for {@link #SAM} in the realm file (its private half was thrown away). */
    public static final String SAM_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfL3Y3Of6lLWvETizTMWGsfQELu+tKQGi8BwnxV8Ndi sam@laptop";

    private TestRealms() {
    }
}
