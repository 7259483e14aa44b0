package dev.portier.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code storage:}. A secret is never accepted in clear: the password must be {@code env:NAME}, and a
 * password inside the JDBC URL is refused. Messages about secrets never quote the value. Where recordings go
 * ({@code recordings}, {@code s3}) is bound by {@link RecordingStorageSection}.
 */
final class StorageSection {
    static final List<String> STORAGE_KEYS = List.of("database", "user", "password", "recordings", "s3");
    static final List<String> DATABASES = List.of("jdbc:postgresql:", "jdbc:h2:");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i).*([?&;]password=|//[^/@]*:[^/@]*@).*");

    private StorageSection() {
    }

    static StorageConfig bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return StorageConfig.EMBEDDED;
        }
        YamlMap storage = section.get();
        String database = storage.string("database").filter(d -> database(d, problems)).map(Located::value).orElse(null);
        Optional<Located> user = storage.string("user").filter(u -> !u.value().startsWith(StorageConfig.ENV_PREFIX)
                || envName(u, problems));
        Optional<Located> password = storage.string("password").filter(p -> {
            if (!p.value().startsWith(StorageConfig.ENV_PREFIX)) {
                problems.add(p, "must not be written in clear; write env:NAME and set that environment variable");
                return false;
            }
            return envName(p, problems);
        });
        if (!storage.has("database")) {
            for (String key : List.of("user", "password")) {
                if (storage.has(key)) {
                    problems.add(storage.lineOf(key), storage.keyPath(key),
                            "applies only with storage.database; the embedded database needs none");
                }
            }
        }
        return new StorageConfig(database, user.map(Located::value).orElse(null), password.map(Located::value).orElse(null),
                RecordingStorageSection.bind(storage, problems));
    }

    private static boolean database(Located url, Problems problems) {
        String lower = url.value().toLowerCase(Locale.ROOT);
        if (DATABASES.stream().noneMatch(lower::startsWith)) {
            problems.add(url, "is not a supported JDBC URL; use jdbc:postgresql://host:5432/db, jdbc:h2:..., or omit it"
                    + " for the embedded database");
            return false;
        }
        if (URL_PASSWORD.matcher(url.value()).matches()) {
            problems.add(url, "must not carry a password; write storage.password: env:NAME instead");
            return false;
        }
        return true;
    }

    private static boolean envName(Located value, Problems problems) {
        String name = value.value().substring(StorageConfig.ENV_PREFIX.length());
        if (ENV_NAME.matcher(name).matches()) {
            return true;
        }
        problems.add(value, "env: must be followed by an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        return false;
    }
}
