package dev.portier.gateway.keycloak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.config.KeycloakConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the trusted Keycloak realms as an {@link IdentityProvider}: a name ({@code kate},
 * {@code kate@partners}) is looked up in the directory and mapped by {@link IdentityMapper}. Answers are cached for
 * {@link #TTL}, so a user disabled or moved in Keycloak is seen within that time; a disabled user has no identity.
 * When Keycloak cannot be asked, a look-up answers empty (fail closed) and is not cached.
 *
 * <p>{@link #authenticateByPublicKey} answers empty: SSH login of Keycloak users (keys of
 * {@link DirectoryUser#sshPublicKeys()}, device flow) is built on {@link #current} and the directory, off the SSH
 * I/O thread. Thread-safe.
 */
public final class KeycloakIdentities implements IdentityProvider {
    static final Duration TTL = Duration.ofSeconds(30);
    static final Duration ALL_TTL = Duration.ofSeconds(60);
    static final int MAX_USERS_PER_REALM = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(KeycloakIdentities.class);

    private final KeycloakConfig config;
    private final KeycloakDirectory directory;
    private final IdentityMapper mapper;
    /** A user Keycloak knows, enabled, with their Keycloak id ({@code sub}) and Portier identity. */
    public record Known(String id, Identity identity) {
    }

    private final Cache<KeycloakNames.RealmUser, Optional<Known>> cache = Caffeine.newBuilder()
            .expireAfterWrite(TTL).maximumSize(10_000).build();
    private final Cache<String, List<Identity>> everyone = Caffeine.newBuilder().expireAfterWrite(ALL_TTL)
            .maximumSize(64).build();

    KeycloakIdentities(KeycloakConfig config, KeycloakDirectory directory, IdentityMapper mapper) {
        this.config = config;
        this.directory = directory;
        this.mapper = mapper;
    }

    /**
     * The current identity of a Keycloak user, straight from the cache or the directory: empty when the user does
     * not exist, is disabled, or cannot be given a Portier name.
     *
     * @throws KeycloakException when Keycloak cannot be asked
     */
    public Optional<Identity> current(String realm, String username) throws KeycloakException {
        return known(realm, username).map(Known::identity);
    }

    /** Like {@link #current}, with the user's Keycloak id. */
    public Optional<Known> known(String realm, String username) throws KeycloakException {
        KeycloakNames.RealmUser key = new KeycloakNames.RealmUser(realm, username);
        Optional<Known> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<DirectoryUser> user = directory.user(realm, username).filter(DirectoryUser::enabled);
        Optional<Known> found = user.flatMap(u -> map(u).map(i -> new Known(u.id(), i)));
        cache.put(key, found);
        return found;
    }

    /** Forgets what is cached about a user (a leaver, a changed group) so the next look-up asks Keycloak. */
    public void invalidate(String realm, String username) {
        cache.invalidate(new KeycloakNames.RealmUser(realm, username));
        everyone.invalidate(realm);
    }

    @Override
    public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
        return Optional.empty();
    }

    @Override
    public Optional<Identity> lookup(String user) {
        Optional<KeycloakNames.RealmUser> name = mapper.names().parse(user);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return current(name.get().realm(), name.get().username());
        } catch (KeycloakException e) {
            LOG.warn("cannot look up {} in Keycloak: {}", user, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Everyone of every trusted realm (at most {@value #MAX_USERS_PER_REALM} per realm), refreshed every
     * {@link #ALL_TTL}; used to tell who could approve a request. A realm Keycloak cannot list counts as empty.
     */
    @Override
    public List<Identity> all() {
        List<Identity> out = new ArrayList<>();
        for (KeycloakConfig.Realm realm : config.realms()) {
            List<Identity> users = everyone.getIfPresent(realm.name());
            if (users == null) {
                try {
                    users = directory.users(realm.name(), MAX_USERS_PER_REALM).stream().filter(DirectoryUser::enabled)
                            .map(this::map).flatMap(Optional::stream).toList();
                    everyone.put(realm.name(), users);
                } catch (KeycloakException e) {
                    LOG.warn("cannot list the users of realm {}: {}", realm.name(), e.getMessage());
                    users = List.of();
                }
            }
            out.addAll(users);
        }
        return out;
    }

    private Optional<Identity> map(DirectoryUser u) {
        try {
            return Optional.of(mapper.identity(u.realm(), u.username(), u.groups(), u.realmRoles(), u.clientRoles()));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}", e.getMessage());
            return Optional.empty();
        }
    }
}
