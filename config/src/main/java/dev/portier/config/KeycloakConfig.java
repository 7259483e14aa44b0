package dev.portier.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code identity.keycloak}: the Keycloak server whose realms Portier trusts beside the local users.
 *
 * @param url    base URL of the server ({@code https://sso.example.net}); a realm's issuer is {@code <url>/realms/<name>}
 * @param caFile PEM file of the certificate authorities to trust for {@code url}, or {@code null} for the JVM's
 * @param admin  the service account Portier reads the realms' users with (directory lookups)
 * @param realms the trusted realms, in order; the first is the home realm, whose users keep their plain name
 * @param leavers how Portier notices people who left (disabled, deleted, removed from a group)
 * @param portal  the portal's browser sessions after sign-in with the code flow
 * @param sshKeyTtl how long the SSH public keys read from Keycloak are trusted before they are read again: a key
 *               removed in Keycloak stops working within this time
 */
public record KeycloakConfig(URI url, Path caFile, Admin admin, List<Realm> realms, Leavers leavers, Portal portal,
        Duration sshKeyTtl) {
    /** The JWS algorithms a realm may sign with when {@code algorithms} is not written. */
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256");
    /** Asymmetric JWS algorithms only: HMAC would let anyone holding the public key sign, and none is unsigned. */
    public static final List<String> ALLOWED_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384",
            "PS512", "ES256", "ES384", "ES512", "EdDSA");

    /** {@code sshKeyTtl} when not written: short, so a removed key stops working soon, yet one read per minute. */
    public static final Duration DEFAULT_SSH_KEY_TTL = Duration.ofSeconds(60);
    /** Longer would leave a removed key working for too long. */
    public static final Duration MAX_SSH_KEY_TTL = Duration.ofMinutes(10);

    public KeycloakConfig {
        realms = List.copyOf(realms);
        if (leavers == null) {
            leavers = Leavers.DEFAULT;
        }
        if (portal == null) {
            portal = Portal.DEFAULT;
        }
        if (sshKeyTtl == null) {
            sshKeyTtl = DEFAULT_SSH_KEY_TTL;
        }
    }

    /** With the default leaver detection, portal sessions and {@link #sshKeyTtl}. */
    public KeycloakConfig(URI url, Path caFile, Admin admin, List<Realm> realms) {
        this(url, caFile, admin, realms, Leavers.DEFAULT, Portal.DEFAULT, DEFAULT_SSH_KEY_TTL);
    }

    /** With the default {@link #sshKeyTtl}. */
    public KeycloakConfig(URI url, Path caFile, Admin admin, List<Realm> realms, Leavers leavers, Portal portal) {
        this(url, caFile, admin, realms, leavers, portal, DEFAULT_SSH_KEY_TTL);
    }

    /** With the default leaver detection and portal sessions. */
    public KeycloakConfig(URI url, Path caFile, Admin admin, List<Realm> realms, Duration sshKeyTtl) {
        this(url, caFile, admin, realms, Leavers.DEFAULT, Portal.DEFAULT, sshKeyTtl);
    }

    /**
     * {@code identity.keycloak.leavers}.
     *
     * @param pollInterval how often the users who hold something (grants, requests, approvals, sessions) are looked
     *                     up in Keycloak; at most {@link #MAX_POLL} so a leaver is cut off within a minute
     */
    public record Leavers(Duration pollInterval) {
        public static final Duration MAX_POLL = Duration.ofSeconds(50);
        public static final Leavers DEFAULT = new Leavers(Duration.ofSeconds(20));
    }

    /**
     * {@code identity.keycloak.portal}: a browser session ends after {@code idleTimeout} without a request, and
     * after {@code maxAge} in any case.
     */
    public record Portal(Duration idleTimeout, Duration maxAge) {
        public static final Duration MIN_IDLE = Duration.ofSeconds(5);
        public static final Duration MAX_AGE_LIMIT = Duration.ofHours(24);
        public static final Portal DEFAULT = new Portal(Duration.ofMinutes(30), Duration.ofHours(8));
    }

    /** The realm named {@code name}, if trusted. */
    public Optional<Realm> realm(String name) {
        return realms.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The home realm: its users are known by their plain Keycloak username. */
    public Realm homeRealm() {
        return realms.get(0);
    }

    /**
     * A service account: a confidential client with a service account holding {@code realm-management} roles
     * {@code view-users}, {@code query-users}, {@code query-groups}, {@code view-clients} (and {@code view-events}
     * for leavers).
     *
     * @param realm where the client lives and its token is obtained
     */
    public record Admin(String realm, String clientId, SecretRef clientSecret) {
    }

    /**
     * One trusted realm.
     *
     * @param clientId   the OIDC client tokens must be issued to ({@code azp}) or for ({@code aud})
     * @param sshAuth    how its users may log in over SSH
     * @param algorithms the JWS algorithms its tokens may be signed with
     * @param admin      the service account that reads this realm's users: its own, or the shared one of
     *                   {@code identity.keycloak.admin} when that lives in this realm or in {@code master}
     */
    public record Realm(String name, String clientId, Set<SshAuth> sshAuth, List<String> algorithms, Admin admin) {
        public Realm {
            sshAuth = Set.copyOf(sshAuth);
            algorithms = List.copyOf(algorithms);
        }
    }

    /** SSH login methods of {@code realms[].sshAuth}. */
    public enum SshAuth {
        /** Keys the user registered in Keycloak (user attribute {@code ssh_public_keys}). */
        PUBLICKEY("publickey"),
        /** OAuth 2.0 device authorization grant inside keyboard-interactive: browser sign-in with the realm's MFA. */
        DEVICE("device");

        private final String yaml;

        SshAuth(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        static Optional<SshAuth> of(String yaml) {
            for (SshAuth a : values()) {
                if (a.yaml.equals(yaml)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }
}
