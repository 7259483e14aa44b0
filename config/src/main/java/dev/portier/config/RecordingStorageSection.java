package dev.portier.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code storage.recordings} and {@code storage.s3}. Credentials are references ({@code env:NAME},
 * {@code vault:TARGET/ACCOUNT}), never values: a key in clear is refused, and no message quotes it.
 */
final class RecordingStorageSection {
    static final List<String> S3_KEYS =
            List.of("endpoint", "region", "pathStyle", "accessKeyId", "secretAccessKey", "retryMax", "keepLocal");
    private static final String SCHEME = "s3://";
    private static final String HINT = "write s3://bucket/prefix, or omit it to keep recordings in the data directory";
    /** S3's bucket naming rules (lower case, 3 to 63 characters, no "..", starting and ending alphanumeric). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** S3's "safe" key characters, so that a prefix means the same to every S3 implementation. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()/-]{0,512}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern VAULT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Duration RETRY_MAX_LIMIT = Duration.ofDays(1);

    private RecordingStorageSection() {
    }

    static RecordingStorageConfig bind(YamlMap storage, Problems problems) {
        Optional<Located> url = storage.string("recordings");
        Optional<YamlMap> s3 = storage.map("s3", S3_KEYS);
        if (url.isEmpty() || url.get().value().equals("local")) {
            s3.ifPresent(s -> problems.add(storage.lineOf("s3"), storage.keyPath("s3"),
                    "applies only with storage.recordings: s3://bucket/prefix"));
            return RecordingStorageConfig.LOCAL;
        }
        Optional<String[]> location = location(url.get(), problems);
        if (s3.isEmpty()) {
            return location.map(l -> new RecordingStorageConfig(l[0], l[1], null, RecordingStorageConfig.DEFAULT_REGION,
                    false, null, null, RecordingStorageConfig.DEFAULT_RETRY_MAX, RecordingStorageConfig.DEFAULT_KEEP_LOCAL))
                    .orElse(RecordingStorageConfig.LOCAL);
        }
        YamlMap s = s3.get();
        URI endpoint = s.string("endpoint").flatMap(e -> endpoint(e, problems)).orElse(null);
        String region = s.string("region").filter(r -> {
            if (REGION.matcher(r.value()).matches()) {
                return true;
            }
            problems.add(r, "is not a region name (letters, digits, '-' and '_'), e.g. eu-west-1");
            return false;
        }).map(Located::value).orElse(RecordingStorageConfig.DEFAULT_REGION);
        boolean pathStyle = s.bool("pathStyle").orElse(false);
        Optional<Located> keyId = s.string("accessKeyId").filter(k -> secretReference(k, problems));
        Optional<Located> secret = s.string("secretAccessKey").filter(k -> secretReference(k, problems));
        if (s.has("accessKeyId") != s.has("secretAccessKey")) {
            String missing = s.has("accessKeyId") ? "secretAccessKey" : "accessKeyId";
            problems.add(s.lineOf(missing), s.keyPath(missing), "is required with "
                    + (missing.equals("accessKeyId") ? "secretAccessKey" : "accessKeyId")
                    + "; write both (env:NAME or vault:TARGET/ACCOUNT), or neither for the AWS default credentials");
        }
        Duration retryMax = s.string("retryMax").flatMap(r -> retryMax(r, problems))
                .orElse(RecordingStorageConfig.DEFAULT_RETRY_MAX);
        Duration keepLocal = s.string("keepLocal").flatMap(k -> keepLocal(k, problems))
                .orElse(RecordingStorageConfig.DEFAULT_KEEP_LOCAL);
        return location.map(l -> new RecordingStorageConfig(l[0], l[1], endpoint, region, pathStyle,
                keyId.map(Located::value).orElse(null), secret.map(Located::value).orElse(null), retryMax, keepLocal))
                .orElse(RecordingStorageConfig.LOCAL);
    }

    /** {@code [bucket, prefix]} of an {@code s3://} URL. */
    private static Optional<String[]> location(Located url, Problems problems) {
        String value = url.value();
        if (!value.toLowerCase(Locale.ROOT).startsWith(SCHEME) || value.length() == SCHEME.length()) {
            problems.add(url, "is not an object store location; " + HINT);
            return Optional.empty();
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.contains("@") || bucket.contains(":")) {
            problems.add(url, "must not carry credentials or a port; write storage.s3.accessKeyId and"
                    + " storage.s3.secretAccessKey as env:NAME or vault:TARGET/ACCOUNT, and storage.s3.endpoint");
            return Optional.empty();
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            problems.add(url, "the bucket " + Problems.quote(bucket) + " is not an S3 bucket name (3 to 63 lower-case"
                    + " letters, digits, '.' and '-'); " + HINT);
            return Optional.empty();
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!PREFIX.matcher(prefix).matches() || prefix.startsWith("/") || prefix.contains("//")
                || ("/" + prefix + "/").contains("/./") || ("/" + prefix + "/").contains("/../")) {
            problems.add(url, "the prefix " + Problems.quote(prefix) + " may hold only letters, digits and"
                    + " !_.*'()-, in segments separated by single '/' (no . or .. segment)");
            return Optional.empty();
        }
        return Optional.of(new String[] {bucket, prefix});
    }

    /** https, or http to a loopback address only: recordings are evidence and may show secrets. */
    private static Optional<URI> endpoint(Located text, Problems problems) {
        URI uri;
        try {
            uri = new URI(text.value());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !List.of("https", "http").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            problems.add(text, "is not an https:// URL with a host, e.g. https://s3.eu-west-1.amazonaws.com");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null) {
            problems.add(text, "must not carry a user name or key; write storage.s3.accessKeyId and secretAccessKey");
            return Optional.empty();
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            problems.add(text, "must be only scheme, host and port, e.g. https://minio.example.net:9000");
            return Optional.empty();
        }
        if (uri.getScheme().equalsIgnoreCase("http") && !loopback(uri.getHost())) {
            problems.add(text, "uses http:// to a host that is not loopback; use https:// (recordings may show"
                    + " secrets)");
            return Optional.empty();
        }
        return Optional.of(URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority()));
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name other than localhost: no lookup while reading the configuration
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean secretReference(Located value, Problems problems) {
        String v = value.value();
        if (v.startsWith(StorageConfig.ENV_PREFIX)) {
            if (ENV_NAME.matcher(v.substring(StorageConfig.ENV_PREFIX.length())).matches()) {
                return true;
            }
            problems.add(value, "env: must be followed by an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
            return false;
        }
        if (v.startsWith(RecordingStorageConfig.VAULT_PREFIX)) {
            if (VAULT_NAME.matcher(v.substring(RecordingStorageConfig.VAULT_PREFIX.length())).matches()) {
                return true;
            }
            problems.add(value, "vault: must be followed by TARGET/ACCOUNT as stored with portier vault put,"
                    + " e.g. vault:s3/portier");
            return false;
        }
        problems.add(value, "must not be written in clear; write env:NAME or vault:TARGET/ACCOUNT"
                + " (portier vault put TARGET/ACCOUNT --password-stdin)");
        return false;
    }

    /** A duration, or 0s: drop local copies as soon as the store confirmed them. */
    private static Optional<Duration> keepLocal(Located text, Problems problems) {
        if (text.value().equals("0") || text.value().equals("0s")) {
            return Optional.of(Duration.ZERO);
        }
        try {
            return Optional.of(Durations.parse(text.value()));
        } catch (IllegalArgumentException e) {
            problems.add(text, e.getMessage() + "; or 0s to drop local copies once uploaded");
            return Optional.empty();
        }
    }

    private static Optional<Duration> retryMax(Located text, Problems problems) {
        try {
            Duration d = Durations.parse(text.value());
            if (d.compareTo(RETRY_MAX_LIMIT) <= 0) {
                return Optional.of(d);
            }
            problems.add(text, "must be at most 1d, so that uploads resume within a day of the store's return");
        } catch (IllegalArgumentException e) {
            problems.add(text, e.getMessage());
        }
        return Optional.empty();
    }
}
