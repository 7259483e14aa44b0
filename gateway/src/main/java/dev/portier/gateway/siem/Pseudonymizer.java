package dev.portier.gateway.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces user identities in an exported event with keyed pseudonyms: {@code p-} + the first 16 hex digits of
 * HMAC-SHA256(key, name). The key lives in the vault ({@value #KEY_NAME}); without it a pseudonym cannot be mapped
 * back, with it {@code portier pseudonym resolve} can.
 *
 * <p>Identity fields ({@link #IDENTITY_FIELDS}, at any depth, strings or lists of strings) are replaced, and so is
 * the user part of {@code login} ({@code alice:rtr-bru-01}). Free text (reasons, comments) may name people too: any
 * word equal to a known name (the configured users, and every name met so far in identity fields) is replaced.
 * Portier's own actor {@value #SYSTEM_ACTOR} is kept. Thread-safe.
 */
public final class Pseudonymizer {
    public static final String KEY_NAME = "siem-pseudonym-key";
    public static final String PREFIX = "p-";
    static final String SYSTEM_ACTOR = "portier";
    static final Set<String> IDENTITY_FIELDS = Set.of("actor", "user", "requester", "approver", "approvers", "by",
            "auditor", "osUser");
    /** Fields that are identifiers or hashes, never free text. */
    private static final Set<String> NOT_TEXT = Set.of("time", "type", "hash", "prevHash", "sessionId", "requestId",
            "grantId", "decision");
    private static final Pattern WORD = Pattern.compile("[^\\s,;:#()\\[\\]{}\"'/=<>|]+");
    private static final Pattern LOGIN = Pattern.compile("([^:#]+)([:#].*)?", Pattern.DOTALL);

    private final byte[] key;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public Pseudonymizer(byte[] key, Collection<String> knownNames) {
        this.key = key.clone();
        knownNames.forEach(this::remember);
    }

    /** The key in the vault, created on first use (32 random bytes). */
    public static byte[] keyOrCreate(Vault vault) throws VaultException {
        Optional<byte[]> stored = vault.systemSecret(KEY_NAME);
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        vault.putSystemSecret(KEY_NAME, fresh);
        return fresh;
    }

    public String pseudonym(String name) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
        byte[] digest = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        return PREFIX + HexFormat.of().formatHex(digest, 0, 8);
    }

    /** A pseudonymised deep copy of the event. */
    ObjectNode apply(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        Set<String> names = new HashSet<>();
        collect(copy, names);
        names.forEach(this::remember);
        replaceIdentities(copy);
        replaceText(copy);
        return copy;
    }

    private void remember(String name) {
        if (!name.isBlank() && !name.equals(SYSTEM_ACTOR)) {
            known.add(name);
        }
    }

    /** The user names in an event's identity fields (and the user part of {@code login}). */
    static Set<String> identities(ObjectNode event) {
        Set<String> names = new HashSet<>();
        collect(event, names);
        return names;
    }

    private static void collect(ObjectNode node, Set<String> names) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            JsonNode v = f.getValue();
            if (IDENTITY_FIELDS.contains(f.getKey())) {
                if (v.isTextual()) {
                    names.add(v.asText());
                } else if (v.isArray()) {
                    v.forEach(x -> {
                        if (x.isTextual()) {
                            names.add(x.asText());
                        }
                    });
                }
            } else if (f.getKey().equals("login") && v.isTextual()) {
                Matcher m = LOGIN.matcher(v.asText());
                if (m.matches()) {
                    names.add(m.group(1));
                }
            } else if (v instanceof ObjectNode o) {
                collect(o, names);
            }
        }
    }

    private void replaceIdentities(ObjectNode node) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            JsonNode v = f.getValue();
            if (IDENTITY_FIELDS.contains(f.getKey())) {
                if (v.isTextual()) {
                    f.setValue(TextNode.valueOf(name(v.asText())));
                } else if (v instanceof ArrayNode a) {
                    for (int i = 0; i < a.size(); i++) {
                        if (a.get(i).isTextual()) {
                            a.set(i, TextNode.valueOf(name(a.get(i).asText())));
                        }
                    }
                }
            } else if (f.getKey().equals("login") && v.isTextual()) {
                Matcher m = LOGIN.matcher(v.asText());
                if (m.matches()) {
                    f.setValue(TextNode.valueOf(name(m.group(1)) + (m.group(2) == null ? "" : m.group(2))));
                }
            } else if (v instanceof ObjectNode o) {
                replaceIdentities(o);
            }
        }
    }

    private void replaceText(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                if (IDENTITY_FIELDS.contains(f.getKey()) || NOT_TEXT.contains(f.getKey()) || f.getKey().equals("login")) {
                    continue;
                }
                if (f.getValue().isTextual()) {
                    f.setValue(TextNode.valueOf(scrub(f.getValue().asText())));
                } else {
                    replaceText(f.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(scrub(a.get(i).asText())));
                } else {
                    replaceText(a.get(i));
                }
            }
        }
    }

    /** Free text with every word that is a known name replaced by its pseudonym. */
    String scrub(String text) {
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String word = m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(known.contains(word) ? pseudonym(word) : word));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String name(String value) {
        return value.equals(SYSTEM_ACTOR) ? value : pseudonym(value);
    }
}
