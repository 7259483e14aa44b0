package dev.portier.gateway.keycloak;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import dev.portier.vault.Vault;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Keycloak wired from {@code identity.keycloak}: token validation, identity mapping, the directory, and the
 * identity provider of Keycloak users. SSH login builds on {@link #sshKeys()} (keys registered in Keycloak) and
 * {@link #deviceLogin()} (browser sign-in); leavers and portal login build on {@link #tokens()}, {@link #mapper()},
 * {@link #directory()} and {@link #identities()}.
 *
 * <p>Owns two small thread pools: one for what blocks on Keycloak (directory look-ups, token validation) during SSH
 * login, so MINA's I/O threads never wait, and one timer that spaces the device flow's polls.
 */
public final class KeycloakIntegration implements AutoCloseable {
    private static final int BLOCKING_THREADS = 4;
    private final KeycloakConfig config;
    private final HttpClient http;
    private final KeycloakTokenValidator tokens;
    private final IdentityMapper mapper;
    private final KeycloakDirectory directory;
    private final KeycloakIdentities identities;
    private final KeycloakCodeFlow codeFlow;
    private final KeycloakLogins logins;
    private final KeycloakSshKeys sshKeys;
    private final DeviceLogin deviceLogin;
    private final ExecutorService blocking = Executors.newFixedThreadPool(BLOCKING_THREADS, daemon("portier-keycloak"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            daemon("portier-keycloak-timer"));

    KeycloakIntegration(KeycloakConfig config, HttpClient http, KeycloakTokenValidator tokens, IdentityMapper mapper,
            KeycloakDirectory directory, Predicate<String> localUser, Clock clock) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        this.mapper = mapper;
        this.directory = directory;
        this.identities = new KeycloakIdentities(config, directory, mapper);
        this.codeFlow = new KeycloakCodeFlow(config, http, tokens);
        this.logins = new KeycloakLogins(config, identities, localUser);
        this.sshKeys = new KeycloakSshKeys(config, logins, directory, mapper);
        this.deviceLogin = new DeviceLogin(config, logins, new DeviceAuthorization(config, http, timer, clock), tokens,
                identities, blocking);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds everything; contacts nothing yet (keys and users are fetched on first use), so Portier starts while
     * Keycloak is down and refuses Keycloak users until it is back.
     *
     * @param localUser true for names of local users (they win over a home-realm user of the same name)
     * @throws KeycloakException when a service account's secret or the CA file cannot be read
     */
    public static KeycloakIntegration open(KeycloakConfig config, Vault vault, Map<String, String> env,
            Predicate<String> localUser, Clock clock) throws KeycloakException {
        SSLContext tls = KeycloakTls.context(config.caFile());
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Map<String, URI> jwks = new LinkedHashMap<>();
        Map<String, String> secrets = new HashMap<>();
        for (KeycloakConfig.Realm realm : config.realms()) {
            jwks.put(realm.name(), URI.create(KeycloakTokenValidator.issuer(config, realm.name())
                    + "/protocol/openid-connect/certs"));
            String key = AdminClientDirectory.key(realm.admin());
            if (!secrets.containsKey(key)) {
                secrets.put(key, SecretResolver.resolve(realm.admin().clientSecret(), env, vault,
                        "the Keycloak service account " + realm.admin().clientId() + " of realm " + realm.admin().realm()));
            }
        }
        KeycloakTokenValidator tokens = new KeycloakTokenValidator(config, new RealmKeys(jwks, http, clock), clock);
        IdentityMapper mapper = new IdentityMapper(config, localUser);
        return new KeycloakIntegration(config, http, tokens, mapper, new AdminClientDirectory(config, tls, secrets),
                localUser, clock);
    }

    public KeycloakConfig config() {
        return config;
    }

    /** Plain HTTP to Keycloak with Portier's TLS trust, for the OIDC endpoints (device flow, code flow). */
    public HttpClient http() {
        return http;
    }

    public KeycloakTokenValidator tokens() {
        return tokens;
    }

    public IdentityMapper mapper() {
        return mapper;
    }

    public KeycloakDirectory directory() {
        return directory;
    }

    public KeycloakIdentities identities() {
        return identities;
    }

    /** Browser sign-in (authorization code flow with PKCE) for the portal. */
    public KeycloakCodeFlow codeFlow() {
        return codeFlow;
    }

    /** Which Keycloak user an SSH login name means (plain names where unambiguous). */
    public KeycloakLogins logins() {
        return logins;
    }

    /** SSH public keys registered in Keycloak, cached for {@code identity.keycloak.sshKeyTtl}. */
    public KeycloakSshKeys sshKeys() {
        return sshKeys;
    }

    /** SSH login by the device authorization grant. */
    public DeviceLogin deviceLogin() {
        return deviceLogin;
    }

    /** Where SSH login runs what blocks on Keycloak (directory look-ups), off MINA's I/O threads. */
    public Executor blocking() {
        return blocking;
    }

    /**
     * The identity a bearer token from Keycloak speaks for, as Keycloak knows the user now: the token must be
     * valid, and the user must still exist and be enabled (teams and roles are the directory's, at most
     * {@link KeycloakIdentities#TTL} old), so a leaver's token stops working before it expires.
     */
    public Identity authenticate(String token) throws KeycloakTokenException, KeycloakException {
        VerifiedToken verified = tokens.validate(token);
        try {
            mapper.identity(verified);
        } catch (IllegalArgumentException e) {
            throw new KeycloakTokenException(e.getMessage());
        }
        Optional<KeycloakIdentities.Known> now = identities.known(verified.realm(), verified.username());
        if (now.isEmpty()) {
            throw new KeycloakTokenException("user " + verified.username() + " of realm " + verified.realm()
                    + " is disabled or gone");
        }
        // A user deleted and created again under the same name is another person: the old tokens are not theirs.
        if (!now.get().id().equals(verified.subject())) {
            throw new KeycloakTokenException("the token's subject is not the current user " + verified.username()
                    + " of realm " + verified.realm());
        }
        return now.get().identity();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        blocking.shutdownNow();
        directory.close();
    }
}
