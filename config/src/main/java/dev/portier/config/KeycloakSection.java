package dev.portier.config;

import dev.portier.config.KeycloakConfig.Admin;
import dev.portier.config.KeycloakConfig.Realm;
import dev.portier.config.KeycloakConfig.SshAuth;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code identity.keycloak}. The admin client's secret is never accepted in clear ({@code env:NAME} or
 * {@code vault:TARGET/ACCOUNT}), and messages about it never quote the value. Plain {@code http} is accepted only
 * for a loopback server: tokens and keys fetched over a network must be protected by TLS.
 */
final class KeycloakSection {
    static final List<String> KEYCLOAK_KEYS = List.of("url", "caFile", "admin", "realms", "leavers", "portal",
            "sshKeyTtl");
    static final List<String> LEAVERS_KEYS = List.of("pollInterval");
    static final List<String> PORTAL_KEYS = List.of("idleTimeout", "maxAge");
    static final List<String> ADMIN_KEYS = List.of("realm", "clientId", "clientSecret");
    static final List<String> REALM_ADMIN_KEYS = List.of("clientId", "clientSecret");
    static final List<String> REALM_KEYS = List.of("name", "clientId", "sshAuth", "algorithms", "admin");
    static final String MASTER = "master";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private KeycloakSection() {
    }

    static Optional<KeycloakConfig> bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        YamlMap kc = section.get();
        Optional<URI> url = kc.requiredString("url", " (the Keycloak server, e.g. https://sso.example.net)")
                .flatMap(u -> url(u, problems));
        Path caFile = kc.string("caFile").map(f -> Path.of(f.value())).orElse(null);
        if (caFile != null && url.filter(u -> u.getScheme().equals("http")).isPresent()) {
            problems.add(kc.lineOf("caFile"), kc.keyPath("caFile"), "applies only to an https url");
        }
        if (!kc.has("admin")) {
            kc.missing("admin", " (the service account Portier reads users with: realm, clientId, clientSecret)");
        }
        Optional<Admin> admin = kc.map("admin", ADMIN_KEYS).flatMap(a -> admin(a, problems));
        List<Realm> realms = realms(kc, admin, problems);
        KeycloakConfig.Leavers leavers = leavers(kc.map("leavers", LEAVERS_KEYS), problems);
        KeycloakConfig.Portal portal = portal(kc.map("portal", PORTAL_KEYS), problems);
        Duration sshKeyTtl = sshKeyTtl(kc, problems);
        if (url.isEmpty() || admin.isEmpty() || realms.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeycloakConfig(url.get(), caFile, admin.get(), realms, leavers, portal, sshKeyTtl));
    }

    /** The poll must leave room within the minute a leaver may keep access. */
    private static KeycloakConfig.Leavers leavers(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return KeycloakConfig.Leavers.DEFAULT;
        }
        YamlMap l = section.get();
        Duration poll = ApprovalSection.duration(l, "pollInterval", problems)
                .orElse(KeycloakConfig.Leavers.DEFAULT.pollInterval());
        if (poll.compareTo(KeycloakConfig.Leavers.MAX_POLL) > 0) {
            problems.add(l.lineOf("pollInterval"), l.keyPath("pollInterval"), "must be at most "
                    + Durations.format(KeycloakConfig.Leavers.MAX_POLL) + " so leavers are cut off within a minute, got "
                    + Durations.format(poll));
            poll = KeycloakConfig.Leavers.DEFAULT.pollInterval();
        }
        return new KeycloakConfig.Leavers(poll);
    }

    private static KeycloakConfig.Portal portal(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return KeycloakConfig.Portal.DEFAULT;
        }
        YamlMap p = section.get();
        KeycloakConfig.Portal d = KeycloakConfig.Portal.DEFAULT;
        Duration idle = ApprovalSection.duration(p, "idleTimeout", problems).orElse(d.idleTimeout());
        Duration max = ApprovalSection.duration(p, "maxAge", problems).orElse(d.maxAge());
        if (idle.compareTo(KeycloakConfig.Portal.MIN_IDLE) < 0) {
            problems.add(p.lineOf("idleTimeout"), p.keyPath("idleTimeout"), "must be at least "
                    + Durations.format(KeycloakConfig.Portal.MIN_IDLE) + ", got " + Durations.format(idle));
        }
        if (max.compareTo(KeycloakConfig.Portal.MAX_AGE_LIMIT) > 0) {
            problems.add(p.lineOf("maxAge"), p.keyPath("maxAge"), "must be at most "
                    + Durations.format(KeycloakConfig.Portal.MAX_AGE_LIMIT) + ", got " + Durations.format(max));
        } else if (max.compareTo(idle) < 0) {
            problems.add(p.lineOf("maxAge"), p.keyPath("maxAge"), "must not be shorter than idleTimeout ("
                    + Durations.format(idle) + "), got " + Durations.format(max));
        }
        return new KeycloakConfig.Portal(idle, max);
    }

    private static Duration sshKeyTtl(YamlMap kc, Problems problems) {
        Optional<Duration> ttl = ApprovalSection.duration(kc, "sshKeyTtl", problems);
        if (ttl.isPresent() && ttl.get().compareTo(KeycloakConfig.MAX_SSH_KEY_TTL) > 0) {
            problems.add(kc.lineOf("sshKeyTtl"), kc.keyPath("sshKeyTtl"), "must be at most "
                    + Durations.format(KeycloakConfig.MAX_SSH_KEY_TTL) + ": a key removed in Keycloak would keep working"
                    + " that long");
        }
        return ttl.orElse(KeycloakConfig.DEFAULT_SSH_KEY_TTL);
    }

    private static Optional<URI> url(Located u, Problems problems) {
        URI uri;
        try {
            uri = new URI(u.value());
        } catch (URISyntaxException e) {
            problems.add(u, Problems.quote(u.value()) + " is not a URL; write e.g. https://sso.example.net");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            problems.add(u, Problems.quote(u.value()) + " is not an https URL; write e.g. https://sso.example.net");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(u, "must be the server's base URL alone, without user, query or fragment");
            return Optional.empty();
        }
        if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            problems.add(u, "must use https: Portier fetches signing keys and tokens from it (plain http is accepted"
                    + " only on the loopback interface)");
            return Optional.empty();
        }
        String s = u.value().replaceAll("/+$", "");
        return Optional.of(URI.create(s));
    }

    private static Optional<Admin> admin(YamlMap a, Problems problems) {
        Optional<Located> realm = a.requiredString("realm", " (where the admin client lives: master or a realm below)");
        Optional<Located> client = a.requiredString("clientId", "").filter(c -> clientId(c, problems));
        Optional<SecretRef> secret = secret(a, problems);
        if (realm.isEmpty() || client.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Admin(realm.get().value(), client.get().value(), secret.get()));
    }

    private static List<Realm> realms(YamlMap kc, Optional<Admin> admin, Problems problems) {
        if (!kc.hasContent("realms")) {
            kc.missing("realms", " (at least one, e.g. [{ name: employees, clientId: portier }])");
            return List.of();
        }
        List<Realm> out = new ArrayList<>();
        List<Located> names = new ArrayList<>();
        List<Located> unreadable = new ArrayList<>();
        boolean complete = true;
        for (YamlMap r : kc.maps("realms", REALM_KEYS)) {
            Optional<Located> name = r.requiredString("name", "").filter(n -> realmName(n, problems));
            name.ifPresent(names::add);
            Optional<Located> client = r.requiredString("clientId", " (the OIDC client of Portier in this realm)")
                    .filter(c -> clientId(c, problems));
            Set<SshAuth> sshAuth = sshAuth(r, problems);
            List<String> algorithms = algorithms(r, problems);
            Optional<Admin> own = r.map("admin", REALM_ADMIN_KEYS).flatMap(a -> {
                Optional<Located> id = a.requiredString("clientId", "").filter(c -> clientId(c, problems));
                Optional<SecretRef> secret = secret(a, problems);
                return id.isPresent() && secret.isPresent() && name.isPresent()
                        ? Optional.of(new Admin(name.get().value(), id.get().value(), secret.get())) : Optional.empty();
            });
            Optional<Admin> reader = own.isPresent() ? own : admin.filter(a -> name.isPresent()
                    && (a.realm().equals(MASTER) || a.realm().equals(name.get().value())));
            if (name.isPresent() && admin.isPresent() && reader.isEmpty() && !r.has("admin")) {
                unreadable.add(name.get());
            }
            if (name.isEmpty() || client.isEmpty() || reader.isEmpty()) {
                complete = false;
                continue;
            }
            out.add(new Realm(name.get().value(), client.get().value(), sshAuth, algorithms, reader.get()));
        }
        Names.unique(problems, names, "realm", false);
        if (admin.isPresent() && !admin.get().realm().equals(MASTER)
                && names.stream().noneMatch(n -> n.value().equals(admin.get().realm()))) {
            problems.add(kc.lineOf("admin"), kc.keyPath("admin.realm"), Problems.quote(admin.get().realm())
                    + " is neither master nor one of identity.keycloak.realms");
        } else {
            for (Located name : unreadable) {
                problems.add(name, "Portier cannot read the users of realm " + name.value() + " with the admin client"
                        + " of realm " + admin.get().realm() + "; give this realm its own admin: { clientId,"
                        + " clientSecret }, or use a service account of the master realm");
            }
        }
        return complete ? out : List.of();
    }

    private static boolean realmName(Located name, Problems problems) {
        if (name.value().equals(MASTER)) {
            problems.add(name, "master is Keycloak's administration realm; keep Portier's users in realms of their own");
            return false;
        }
        return Names.check(problems, name, Names.TARGET, "realm name");
    }

    private static boolean clientId(Located id, Problems problems) {
        if (CLIENT_ID.matcher(id.value()).matches()) {
            return true;
        }
        problems.add(id, Problems.quote(id.value()) + " is not a valid client id (" + CLIENT_ID.pattern() + ")");
        return false;
    }

    /** Device login is the default: it always goes through the realm's own sign-in, MFA included. */
    private static Set<SshAuth> sshAuth(YamlMap r, Problems problems) {
        if (!r.has("sshAuth")) {
            return EnumSet.of(SshAuth.DEVICE);
        }
        Set<SshAuth> out = EnumSet.noneOf(SshAuth.class);
        List<Located> written = r.strings("sshAuth");
        for (Located m : written) {
            SshAuth.of(m.value()).ifPresentOrElse(out::add, () -> problems.add(m, Problems.quote(m.value())
                    + " is not an SSH login method; allowed: publickey, device"));
        }
        if (written.isEmpty() && r.isList("sshAuth")) {
            problems.add(r.lineOf("sshAuth"), r.keyPath("sshAuth"), "must name at least one of publickey, device;"
                    + " remove the realm to let none of its users in");
        }
        return out;
    }

    private static List<String> algorithms(YamlMap r, Problems problems) {
        if (!r.has("algorithms")) {
            return KeycloakConfig.DEFAULT_ALGORITHMS;
        }
        Set<String> out = new LinkedHashSet<>();
        List<Located> written = r.strings("algorithms");
        for (Located a : written) {
            if (KeycloakConfig.ALLOWED_ALGORITHMS.contains(a.value())) {
                out.add(a.value());
            } else {
                problems.add(a, Problems.quote(a.value()) + " is not an accepted token signature algorithm; allowed: "
                        + String.join(", ", KeycloakConfig.ALLOWED_ALGORITHMS) + " (HMAC and none are never accepted)");
            }
        }
        if (written.isEmpty() && r.isList("algorithms")) {
            problems.add(r.lineOf("algorithms"), r.keyPath("algorithms"), "must name at least one algorithm, e.g. [RS256]");
        }
        return List.copyOf(out);
    }

    /** {@code clientSecret}: {@code env:NAME} or {@code vault:TARGET/ACCOUNT}; anything else is a secret in clear. */
    private static Optional<SecretRef> secret(YamlMap map, Problems problems) {
        Optional<Located> value = map.requiredString("clientSecret",
                " (env:NAME or vault:TARGET/ACCOUNT; never the secret itself)");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Located v = value.get();
        if (v.value().startsWith(SecretRef.ENV_PREFIX)) {
            String name = v.value().substring(SecretRef.ENV_PREFIX.length());
            if (ENV_NAME.matcher(name).matches()) {
                return Optional.of(new SecretRef(SecretRef.Kind.ENV, name));
            }
            problems.add(v, "env: must be followed by an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
            return Optional.empty();
        }
        if (v.value().startsWith(SecretRef.VAULT_PREFIX)) {
            String[] parts = v.value().substring(SecretRef.VAULT_PREFIX.length()).split("/", -1);
            if (parts.length == 2 && Names.TARGET.matcher(parts[0]).matches() && Names.ACCOUNT.matcher(parts[1]).matches()) {
                return Optional.of(new SecretRef(SecretRef.Kind.VAULT, parts[0] + "/" + parts[1]));
            }
            problems.add(v, "vault: must be followed by TARGET/ACCOUNT, as stored with ./portier vault put TARGET/ACCOUNT"
                    + " --password-stdin");
            return Optional.empty();
        }
        problems.add(v, "must not be written in clear; write env:NAME (an environment variable) or vault:TARGET/ACCOUNT"
                + " (./portier vault put TARGET/ACCOUNT --password-stdin)");
        return Optional.empty();
    }
}
