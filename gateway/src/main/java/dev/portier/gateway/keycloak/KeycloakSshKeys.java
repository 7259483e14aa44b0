package dev.portier.gateway.keycloak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH public keys people registered in Keycloak (user attribute {@code ssh_public_keys}, one key per value),
 * per login name, cached with Caffeine for {@code identity.keycloak.sshKeyTtl} (so a removed key stops working within
 * that time) and at most {@value #MAX_ENTRIES} names. The SSH front checks offered keys with {@link #match}, which
 * answers from the cache only and never blocks; {@link #load} fills the cache and blocks on the directory, so the
 * front calls it on a worker thread. A realm whose {@code sshAuth} leaves out {@code publickey} admits nobody by
 * key, whatever they registered. When Keycloak cannot be asked nothing is cached and the key is refused.
 */
public final class KeycloakSshKeys {
    static final int MAX_ENTRIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(KeycloakSshKeys.class);

    /**
     * What a login name's registered keys admit.
     *
     * @param identity null when they admit nobody
     * @param keys     the registered keys, {@code type base64}
     * @param refusal  why nobody is admitted (audit), or null
     * @param userMessage the sentence that ends the connection (an ambiguous name), or null
     */
    record Entry(Identity identity, Set<String> keys, String refusal, String userMessage) {
    }

    private final KeycloakConfig config;
    private final KeycloakLogins logins;
    private final KeycloakDirectory directory;
    private final IdentityMapper mapper;
    private final Cache<String, Entry> cache;

    KeycloakSshKeys(KeycloakConfig config, KeycloakLogins logins, KeycloakDirectory directory, IdentityMapper mapper) {
        this.config = config;
        this.logins = logins;
        this.directory = directory;
        this.mapper = mapper;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.sshKeyTtl()).maximumSize(MAX_ENTRIES).build();
    }

    /** True when {@link #match} can answer for {@code login} without asking Keycloak. Never blocks. */
    public boolean answersFromCache(String login) {
        return logins.local(login) || cache.getIfPresent(login) != null;
    }

    /**
     * The identity {@code openSshKey} ({@code type base64}) admits as {@code login}, from the cache only: empty when
     * the key is not registered, the realm does not allow publickey, or nothing is cached yet.
     */
    public Optional<Identity> match(String login, String openSshKey) {
        Entry e = cache.getIfPresent(login);
        if (e == null || e.identity() == null || !e.keys().contains(normalise(openSshKey))) {
            return Optional.empty();
        }
        return Optional.of(e.identity());
    }

    /** Why {@code login} cannot log in by key at all (audit), from the cache; empty when keys may admit them. */
    public Optional<String> refusal(String login) {
        return Optional.ofNullable(cache.getIfPresent(login)).map(Entry::refusal);
    }

    /** The sentence to end the connection with (an ambiguous name), from the cache; empty otherwise. */
    public Optional<String> userMessage(String login) {
        return Optional.ofNullable(cache.getIfPresent(login)).map(Entry::userMessage);
    }

    /**
     * Reads {@code login}'s keys from Keycloak into the cache (blocking).
     *
     * @throws KeycloakException when Keycloak cannot be asked; nothing is cached then
     */
    public void load(String login) throws KeycloakException {
        if (logins.local(login)) {
            return;
        }
        Entry entry;
        try {
            entry = read(logins.resolve(login));
        } catch (KeycloakLoginException e) {
            entry = new Entry(null, Set.of(), e.getMessage(), e.userMessage());
        }
        cache.put(login, entry);
    }

    /** Forgets every cached key (tests, and an operator who removed a key and cannot wait). */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    private Entry read(KeycloakNames.RealmUser who) throws KeycloakException {
        KeycloakConfig.Realm realm = config.realm(who.realm()).orElseThrow();
        if (!realm.sshAuth().contains(KeycloakConfig.SshAuth.PUBLICKEY)) {
            return new Entry(null, Set.of(), "realm " + realm.name() + " allows device login only (sshAuth)", null);
        }
        Optional<DirectoryUser> user = directory.user(who.realm(), who.username()).filter(DirectoryUser::enabled);
        if (user.isEmpty()) {
            return new Entry(null, Set.of(), "no enabled Keycloak user " + who.username() + " in " + who.realm(), null);
        }
        DirectoryUser u = user.get();
        Identity identity;
        try {
            identity = mapper.identity(u.realm(), u.username(), u.groups(), u.realmRoles(), u.clientRoles());
        } catch (IllegalArgumentException e) {
            return new Entry(null, Set.of(), e.getMessage(), null);
        }
        Set<String> keys = new HashSet<>();
        for (String line : u.sshPublicKeys()) {
            String key = parse(line);
            if (key == null) {
                LOG.warn("ignoring an unreadable value of {} for {} of realm {}", DirectoryUser.SSH_KEYS_ATTRIBUTE,
                        u.username(), u.realm());
            } else {
                keys.add(key);
            }
        }
        return new Entry(identity, Set.copyOf(keys), keys.isEmpty() ? "no SSH key registered in Keycloak" : null, null);
    }

    /**
     * A registered key as {@code type base64}, or null when it is not a plain OpenSSH public key line ({@code type
     * base64 [comment]}; a line with authorized_keys options is refused rather than used without its restrictions).
     */
    static String parse(String line) {
        if (line == null || line.isBlank() || line.length() > 16 * 1024) {
            return null;
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            if (entry != null && !entry.getLoginOptions().isEmpty()) {
                // Options such as from="..." restrict a key; Portier does not enforce them, so it refuses the key.
                return null;
            }
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            return key == null ? null : PublicKeyEntry.toString(key);
        } catch (Exception e) {
            return null;
        }
    }

    private static String normalise(String openSshKey) {
        if (openSshKey == null) {
            return "";
        }
        String[] parts = openSshKey.strip().split("\\s+");
        return parts.length < 2 ? "" : parts[0] + " " + parts[1];
    }
}
