package dev.portier.config;

/**
 * Where a secret is kept, never the secret itself: {@code env:NAME} (an environment variable) or
 * {@code vault:TARGET/ACCOUNT} (a password stored with {@code ./portier vault put TARGET/ACCOUNT --password-stdin}).
 */
public record SecretRef(Kind kind, String name) {
    public enum Kind { ENV, VAULT }

    public static final String ENV_PREFIX = "env:";
    public static final String VAULT_PREFIX = "vault:";

    /** As written in the configuration. */
    @Override
    public String toString() {
        return (kind == Kind.ENV ? ENV_PREFIX : VAULT_PREFIX) + name;
    }
}
