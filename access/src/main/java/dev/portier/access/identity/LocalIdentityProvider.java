package dev.portier.access.identity;

import dev.portier.config.IdentityConfig;
import dev.portier.config.LocalUser;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The users of {@code identity.local.users}. A public key matches when its type and base64 blob equal those
 * of one of the user's {@code sshKeys} lines exactly; comments (and anything after the blob) are ignored.
 *
 * <p>Immutable after construction, so thread-safe; a lookup is one hash lookup per map.
 */
public final class LocalIdentityProvider implements IdentityProvider {

    private record Entry(Identity identity, Set<String> keys) {
    }

    private final Map<String, Entry> users;

    /**
     * @throws IllegalArgumentException if two users share a name (validation should have caught it; refusing
     *                                  is safer than guessing which one is meant)
     */
    public LocalIdentityProvider(IdentityConfig cfg) {
        Objects.requireNonNull(cfg, "cfg");
        Map<String, Entry> map = new HashMap<>();
        for (LocalUser u : cfg.localUsers()) {
            String realm = u.realm() == null || u.realm().isBlank() ? LocalUser.DEFAULT_REALM : u.realm();
            Identity id = new Identity(u.name(), realm, Set.copyOf(u.teams()), Set.copyOf(u.roles()));
            Set<String> keys = new HashSet<>();
            for (String line : u.sshKeys()) {
                String k = keyOf(line);
                if (k != null) {
                    keys.add(k);
                }
            }
            if (map.putIfAbsent(u.name(), new Entry(id, Set.copyOf(keys))) != null) {
                throw new IllegalArgumentException("duplicate local user " + u.name());
            }
        }
        this.users = Map.copyOf(map);
    }

    @Override
    public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
        if (user == null || openSshPublicKey == null) {
            return Optional.empty();
        }
        Entry e = users.get(user);
        String key = keyOf(openSshPublicKey);
        if (e == null || key == null || !e.keys().contains(key)) {
            return Optional.empty();
        }
        return Optional.of(e.identity());
    }

    @Override
    public Optional<Identity> lookup(String user) {
        Entry e = user == null ? null : users.get(user);
        return e == null ? Optional.empty() : Optional.of(e.identity());
    }

    @Override
    public java.util.List<Identity> all() {
        return users.values().stream().map(Entry::identity).toList();
    }

    /**
     * The comparable form of a key, {@code type + " " + blob}, or null when the text has fewer than two fields.
     */
    static String keyOf(String line) {
        String s = line.strip();
        int sp = indexOfWhitespace(s, 0);
        if (sp <= 0) {
            return null;
        }
        int blobStart = sp;
        while (blobStart < s.length() && Character.isWhitespace(s.charAt(blobStart))) {
            blobStart++;
        }
        if (blobStart == s.length()) {
            return null;
        }
        int blobEnd = indexOfWhitespace(s, blobStart);
        return s.substring(0, sp) + " " + s.substring(blobStart, blobEnd < 0 ? s.length() : blobEnd);
    }

    private static int indexOfWhitespace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
