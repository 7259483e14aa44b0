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
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Keycloak wired from {@code identity.keycloak}: token validation, identity mapping, the directory, and the
 * identity provider of Keycloak users. The SSH device flow, public keys from Keycloak, leavers and portal login
 * build on {@link #tokens()}, {@link #mapper()}, {@link #directory()} and {@link #identities()}.
 */
public final class KeycloakIntegration implements AutoCloseable {
    private final KeycloakConfig config;
    private final HttpClient http;
    private final KeycloakTokenValidator tokens;
    private final IdentityMapper mapper;
    private final KeycloakDirectory directory;
    private final KeycloakIdentities identities;
    private final KeycloakCodeFlow codeFlow;

    KeycloakIntegration(KeycloakConfig config, HttpClient http, KeycloakTokenValidator tokens, IdentityMapper mapper,
            KeycloakDirectory directory) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        this.mapper = mapper;
        this.directory = directory;
        this.identities = new KeycloakIdentities(config, directory, mapper);
        this.codeFlow = new KeycloakCodeFlow(config, http, tokens);
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
        return new KeycloakIntegration(config, http, tokens, mapper, new AdminClientDirectory(config, tls, secrets));
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
        directory.close();
    }
}
