package dev.portier.config;

import java.util.Map;

/**
 * {@code storage:} the database of requests, approvals and grants, and where recordings are kept.
 *
 * @param database a JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:h2:...}), or {@code null} for the
 *                 embedded H2 database under the data directory
 * @param user     the database user as written (a name, or {@code env:NAME}); {@code null} when not written
 * @param password always {@code env:NAME} (a password in clear is refused), or {@code null}
 * @param recordings {@link RecordingStorageConfig#LOCAL} unless {@code storage.recordings} names an object store
 */
public record StorageConfig(String database, String user, String password, RecordingStorageConfig recordings) {
    public static final StorageConfig EMBEDDED = new StorageConfig(null, null, null);
    /** Prefix of a value read from the environment variable named after it. */
    public static final String ENV_PREFIX = "env:";

    public StorageConfig {
        java.util.Objects.requireNonNull(recordings, "recordings");
    }

    /** The database settings alone, recordings kept locally. */
    public StorageConfig(String database, String user, String password) {
        this(database, user, password, RecordingStorageConfig.LOCAL);
    }

    /** True for the embedded default. */
    public boolean embedded() {
        return database == null;
    }

    /**
     * The value to use for {@code user} or {@code password}: {@code env:NAME} is read from {@code env}, anything
     * else is taken as written; {@code null} stays {@code null}.
     *
     * @throws IllegalStateException naming the variable (never a value) when it is not set
     */
    public static String resolve(String value, Map<String, String> env) {
        if (value == null || !value.startsWith(ENV_PREFIX)) {
            return value;
        }
        String name = value.substring(ENV_PREFIX.length());
        String resolved = env.get(name);
        if (resolved == null) {
            throw new IllegalStateException("environment variable " + name + " is not set; storage needs it");
        }
        return resolved;
    }
}
