package dev.portier.gateway.keycloak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portier.config.KeycloakConfig;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * {@link KeycloakDirectory} on Keycloak's own admin client: one client per service account (the shared one of
 * {@code identity.keycloak.admin} and any realm's own), each getting and renewing its client-credentials token
 * itself. Nothing is cached here except the internal id of each realm's Portier client.
 */
final class AdminClientDirectory implements KeycloakDirectory {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Keycloak> byRealm = new HashMap<>();
    private final Map<String, String> clientIds = new HashMap<>();
    private final List<Keycloak> clients = new ArrayList<>();
    private final Cache<String, String> clientUuids = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
            .maximumSize(64).build();

    /** @param secrets the resolved secret of each service account, by {@code realm/clientId} of {@link #key} */
    AdminClientDirectory(KeycloakConfig config, SSLContext tls, Map<String, String> secrets) {
        Map<String, Keycloak> byAccount = new HashMap<>();
        for (KeycloakConfig.Realm realm : config.realms()) {
            KeycloakConfig.Admin admin = realm.admin();
            Keycloak kc = byAccount.computeIfAbsent(key(admin), k -> {
                Client http = ClientBuilder.newBuilder().sslContext(tls)
                        .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).build();
                Keycloak client = KeycloakBuilder.builder().serverUrl(config.url().toString()).realm(admin.realm())
                        .clientId(admin.clientId()).clientSecret(secrets.get(k))
                        .grantType(OAuth2Constants.CLIENT_CREDENTIALS).resteasyClient(http).build();
                clients.add(client);
                return client;
            });
            byRealm.put(realm.name(), kc);
            clientIds.put(realm.name(), realm.clientId());
        }
    }

    static String key(KeycloakConfig.Admin admin) {
        return admin.realm() + "/" + admin.clientId();
    }

    @Override
    public Optional<DirectoryUser> user(String realm, String username) throws KeycloakException {
        RealmResource r = realm(realm);
        try {
            List<UserRepresentation> found = r.users().searchByUsername(username, true);
            // exact=true still compares without case in some versions: keep only the very name asked for.
            Optional<UserRepresentation> user = found.stream().filter(u -> username.equals(u.getUsername())).findFirst();
            return user.isEmpty() ? Optional.empty() : Optional.of(describe(realm, r, user.get()));
        } catch (ProcessingException | WebApplicationException e) {
            throw unavailable(realm, e);
        }
    }

    @Override
    public List<DirectoryUser> users(String realm, int max) throws KeycloakException {
        RealmResource r = realm(realm);
        try {
            List<DirectoryUser> out = new ArrayList<>();
            for (UserRepresentation u : r.users().list(0, max)) {
                out.add(describe(realm, r, u));
            }
            return out;
        } catch (ProcessingException | WebApplicationException e) {
            throw unavailable(realm, e);
        }
    }

    private DirectoryUser describe(String realm, RealmResource r, UserRepresentation u) {
        UserResource user = r.users().get(u.getId());
        List<String> groups = user.groups().stream().map(GroupRepresentation::getName).toList();
        List<String> realmRoles = user.roles().realmLevel().listEffective().stream().map(RoleRepresentation::getName)
                .toList();
        String clientUuid = clientUuid(realm, r);
        List<String> clientRoles = clientUuid == null ? List.of() : user.roles().clientLevel(clientUuid)
                .listEffective().stream().map(RoleRepresentation::getName).toList();
        Map<String, List<String>> attributes = u.getAttributes() == null ? Map.of() : u.getAttributes();
        return new DirectoryUser(realm, u.getId(), u.getUsername(), Boolean.TRUE.equals(u.isEnabled()),
                groups.stream().collect(Collectors.toSet()), realmRoles.stream().collect(Collectors.toSet()),
                clientRoles.stream().collect(Collectors.toSet()),
                attributes.getOrDefault(DirectoryUser.SSH_KEYS_ATTRIBUTE, List.of()));
    }

    /** The internal id of the realm's Portier client, or null when the realm has no such client. */
    private String clientUuid(String realm, RealmResource r) {
        return clientUuids.get(realm, k -> r.clients().findByClientId(clientIds.get(realm)).stream()
                .map(ClientRepresentation::getId).findFirst().orElse(null));
    }

    private RealmResource realm(String realm) throws KeycloakException {
        Keycloak kc = byRealm.get(realm);
        if (kc == null) {
            throw new KeycloakException("realm " + realm + " is not trusted");
        }
        return kc.realm(realm);
    }

    private static KeycloakException unavailable(String realm, RuntimeException e) {
        String why = e instanceof WebApplicationException w ? "answered " + w.getResponse().getStatus()
                : e.getMessage();
        return new KeycloakException("Keycloak cannot tell about users of realm " + realm + " (" + why + ")", e);
    }

    @Override
    public void close() {
        clients.forEach(Keycloak::close);
    }
}
