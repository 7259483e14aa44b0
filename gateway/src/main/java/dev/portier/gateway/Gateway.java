package dev.portier.gateway;

import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.AuditInbox;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.grant.GrantState;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.identity.LocalIdentityProvider;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.service.DefaultAccessService;
import dev.portier.access.service.GrantListener;
import dev.portier.access.store.AccessStore;
import dev.portier.access.store.JdbcAccessStore;
import dev.portier.access.store.StoreException;
import dev.portier.config.PortierConfig;
import dev.portier.config.StorageConfig;
import dev.portier.gateway.api.ApiRoute;
import dev.portier.gateway.api.TokenService;
import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.core.LiveSessions;
import dev.portier.gateway.core.ReloadableIdentities;
import dev.portier.gateway.core.SessionEnforcer;
import dev.portier.gateway.core.WebhookNotifier;
import dev.portier.gateway.evidence.RecordingStorages;
import dev.portier.gateway.evidence.SearchIndexKey;
import dev.portier.gateway.evidence.VaultRecordingKeys;
import dev.portier.gateway.http.HttpRoute;
import dev.portier.gateway.http.HttpsFront;
import dev.portier.gateway.keycloak.CombinedIdentities;
import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakIntegration;
import dev.portier.gateway.keycloak.LeaverWatch;
import dev.portier.gateway.portal.PortalRoute;
import dev.portier.gateway.portal.PortalSessions;
import dev.portier.gateway.siem.SyslogForwarder;
import dev.portier.gateway.ssh.SshFront;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.index.IndexKey;
import dev.portier.recorder.index.LuceneRecordingIndex;
import dev.portier.recorder.index.RecordingIndexer;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.storage.RetentionSweeper;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: the core services and the protocol fronts (SSH, and HTTPS with the REST API) built from
 * one configuration.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final long INBOX_POLL_MS = 250;
    public static final String GRANT_KEY = "grant-signing-key";
    public static final String GRANT_PUBLIC_KEY_FILE = "grant-signing.pub.jwk";
    public static final String EVIDENCE_KEY = "evidence-signing-key";
    public static final String EVIDENCE_PUBLIC_KEY_FILE = "evidence.pub.jwk";
    /** The search index of recordings, under the data directory. */
    public static final String INDEX_DIR = "index";

    private final GatewayContext context;
    private final List<AutoCloseable> closeables;
    private final SshFront ssh;
    private final HttpsFront https;
    private final DefaultAccessService access;
    private final ReloadableIdentities identities;
    private final AtomicReference<IdentityProvider> localUsers;
    private final KeycloakIntegration keycloak;
    private final Optional<RetentionSweeper> retention;

    private Gateway(GatewayContext context, List<AutoCloseable> closeables, SshFront ssh, HttpsFront https,
            DefaultAccessService access, ReloadableIdentities identities, AtomicReference<IdentityProvider> localUsers,
            KeycloakIntegration keycloak, Optional<RetentionSweeper> retention) {
        this.context = context;
        this.closeables = closeables;
        this.ssh = ssh;
        this.https = https;
        this.access = access;
        this.identities = identities;
        this.localUsers = localUsers;
        this.keycloak = keycloak;
        this.retention = retention;
    }

    /** Builds every service and starts listening; fails with a clear message rather than half-starting. */
    public static Gateway start(PortierConfig config) throws IOException, VaultException, AuditException,
            StoreException {
        Path data = config.server().dataDir();
        Files.createDirectories(data);
        trySecure(data);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Vault vault = Vault.open(data);
            EvidenceSigner evidence = evidenceSigner(vault, data);
            FileAuditLog audit = new FileAuditLog(data.resolve("audit"), evidence::sign);
            opened.add(audit);
            // Events that tools (pseudonym resolve, ...) handed over while no gateway ran, or that a crash left.
            AuditInbox inbox = new AuditInbox(data.resolve("audit"));
            inbox.drainInto(audit);
            SyslogForwarder.fromConfig(config, vault, data.resolve("audit")).ifPresent(siem -> opened.add(0, siem));
            Auditor auditor = new Auditor(audit);
            RecordingStore recordings = new RecordingStore(data.resolve("recordings"), evidence,
                    RecorderSettings.DEFAULTS, new VaultRecordingKeys(vault), config.recording().encrypt(),
                    RecordingStorages.open(config, data.resolve("recordings"), () -> vault));
            opened.add(0, recordings);
            for (var r : recordings.markInterrupted()) {
                // A crash left these open: the recording keeps what was written; the audit log says so.
                audit.record(dev.portier.access.audit.AuditEvent.of("session.interrupted", r.user(), r.target(),
                        r.sessionId(), null, "the gateway stopped without closing the session",
                        Map.of("recording", r.id(), "end", String.valueOf(r.end()))));
            }
            // After the crash marks: interrupted recordings are closed ones, and go to the object store too.
            RecordingStorages.startUploads(recordings, config, auditor);
            RecordingIndexer index = openIndex(config, data, recordings, SearchIndexKey.of(vault));
            opened.add(0, index);
            Optional<RetentionSweeper> retention = RecordingStorages.sweeper(recordings, config, auditor,
                    index::deletedLater);
            retention.ifPresent(sweeper -> opened.add(0, RecordingStorages.schedule(sweeper)));
            AccessStore store = openStore(config.storage(), data);
            opened.add(0, store);
            GrantSigner signer = grantSigner(vault, data);
            WebhookNotifier notifier = new WebhookNotifier(config.notifications().webhooks());
            opened.add(0, notifier);
            PolicyEngine policies = new PolicyEngine(config);
            Clock clock = Clock.systemUTC();
            AtomicReference<IdentityProvider> localUsers = new AtomicReference<>(
                    new LocalIdentityProvider(config.identity()));
            KeycloakIntegration keycloak = keycloak(config, vault, localUsers, clock);
            if (keycloak != null) {
                opened.add(0, keycloak);
            }
            ReloadableIdentities identities = new ReloadableIdentities(identities(localUsers.get(), keycloak));
            DefaultAccessService access = new DefaultAccessService(config, policies, store, identities, signer, audit,
                    notifier, clock);
            LiveSessions live = new LiveSessions();
            access.addListener(endSessions(live));
            GatewayContext ctx = new GatewayContext(config, identities, policies, vault, recordings, index, auditor,
                    live, access);
            SessionEnforcer enforcer = new SessionEnforcer(live, clock);
            opened.add(0, enforcer);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "portier-sweeper");
                t.setDaemon(true);
                return t;
            });
            opened.add(0, sweeper::shutdownNow);
            sweeper.scheduleWithFixedDelay(() -> {
                access.sweep();
                endRevokedElsewhere(store, live);
            }, 1, 1, TimeUnit.SECONDS);
            AtomicReference<String> inboxFailure = new AtomicReference<>();
            sweeper.scheduleWithFixedDelay(() -> drainInbox(inbox, audit, inboxFailure), INBOX_POLL_MS, INBOX_POLL_MS,
                    TimeUnit.MILLISECONDS);
            TokenService tokens = TokenService.open(vault, identities, ctx.audit(), clock);
            SshFront ssh = new SshFront(ctx, data, tokens, keycloak);
            opened.add(0, ssh);
            ssh.start();
            PortalSessions portal = keycloak == null ? null
                    : new PortalSessions(keycloak.config().portal(), keycloak.identities(), clock);
            List<HttpRoute> routes = new ArrayList<>(List.of(new ApiRoute(ctx, tokens, keycloak, portal)));
            AtomicReference<HttpsFront> front = new AtomicReference<>();
            if (keycloak != null) {
                access.addListener(endPortalSessions(portal, ctx.audit()));
                routes.addAll(new PortalRoute(ctx, keycloak, portal, () -> publicUrl(config, front.get()), clock)
                        .routes());
                LeaverWatch leavers = new LeaverWatch(keycloak, access, store, () -> sessionUsers(live, portal),
                        name -> localUsers.get().lookup(name).isPresent(), ctx.audit());
                opened.add(0, leavers);
                leavers.start();
            }
            // Added last, so closed first: no API call reaches a store that is already closed.
            HttpsFront https = new HttpsFront(config.server().httpsListen(), data, routes);
            front.set(https);
            opened.add(0, https);
            https.start();
            ctx.audit().record("gateway.start", "portier", null, null, null, "started",
                    Map.of("ssh", config.server().sshListen().toString(), "https",
                            config.server().httpsListen().toString(), "targets", config.targets().size(),
                            "policies", config.policies().size()));
            return new Gateway(ctx, opened, ssh, https, access, identities, localUsers, keycloak, retention);
        } catch (IOException | VaultException | AuditException | StoreException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** @param lastFailure the failure logged last: a lasting one is logged once, not every poll */
    private static void drainInbox(AuditInbox inbox, FileAuditLog audit, AtomicReference<String> lastFailure) {
        try {
            inbox.drainInto(audit);
            if (lastFailure.getAndSet(null) != null) {
                LOG.info("the audit events that tools left in the inbox are taken again");
            }
        } catch (AuditException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastFailure.getAndSet(String.valueOf(e.getMessage())))) {
                LOG.error("cannot take the audit events that tools left in the inbox (tools wait, then refuse): {}",
                        e.getMessage(), e);
            }
        }
    }

    /** Keycloak beside the local users when {@code identity.keycloak} is written; null otherwise. */
    private static KeycloakIntegration keycloak(PortierConfig config, Vault vault,
            AtomicReference<IdentityProvider> localUsers, Clock clock) throws IOException {
        if (config.identity().keycloak().isEmpty()) {
            return null;
        }
        try {
            return KeycloakIntegration.open(config.identity().keycloak().get(), vault, System.getenv(),
                    name -> localUsers.get().lookup(name).isPresent(), clock);
        } catch (KeycloakException e) {
            throw new IOException("identity.keycloak: " + e.getMessage(), e);
        }
    }

    private static IdentityProvider identities(IdentityProvider local, KeycloakIntegration keycloak) {
        return keycloak == null ? local : new CombinedIdentities(local, keycloak.identities());
    }

    /**
     * Runs the retention sweep now, as {@code serve} does hourly, as if it were {@code now}.
     *
     * @return the ids of the recordings deleted (each one audited); empty without {@code recording.retention}
     */
    public List<String> sweepRecordings(Instant now) throws IOException {
        if (retention.isEmpty()) {
            return List.of();
        }
        return retention.get().sweep(now).stream().map(dev.portier.recorder.RecordingInfo::id).toList();
    }

    /**
     * The search index of recordings under {@code <data>/index}: recordings are indexed as they close, and those a
     * previous run left unindexed (interrupted ones included, already marked) are caught up in the background,
     * with progress in the log, while the gateway serves. {@code key} (the vault's, {@link SearchIndexKey}) keeps
     * the index blind: it holds no session content in the clear.
     */
    public static RecordingIndexer openIndex(PortierConfig config, Path data, RecordingStore recordings,
            IndexKey key) throws IOException {
        RecordingIndexer index = new RecordingIndexer(recordings,
                LuceneRecordingIndex.open(data.resolve(INDEX_DIR), key), labelsOf(config));
        recordings.onClosed(index::indexLater);
        index.catchUpLater();
        return index;
    }

    /** The labels of each configured target, for the index's {@code --label} filter. */
    public static Function<String, Map<String, String>> labelsOf(PortierConfig config) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        config.targets().forEach(t -> labels.put(t.name(), t.labels()));
        return target -> labels.getOrDefault(target, Map.of());
    }

    private static AccessStore openStore(StorageConfig storage, Path data) throws StoreException {
        if (storage.embedded()) {
            return JdbcAccessStore.embedded(data);
        }
        Map<String, String> env = System.getenv();
        return JdbcAccessStore.open(storage.database(), StorageConfig.resolve(storage.user(), env),
                StorageConfig.resolve(storage.password(), env));
    }

    /**
     * The evidence key (checkpoints of recordings and of the audit log) lives in the vault, created on first use;
     * its public half is exported to {@code <data>/keys/evidence.pub.jwk} for offline verification.
     */
    public static EvidenceSigner evidenceSigner(Vault vault, Path data) throws VaultException, IOException {
        EvidenceSigner signer;
        var stored = vault.systemSecret(EVIDENCE_KEY);
        if (stored.isPresent()) {
            try {
                signer = EvidenceSigner.fromPrivateJwk(new String(stored.get(), StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new VaultException("the evidence-signing key in the vault is unreadable: " + e.getMessage());
            }
        } else {
            if (Files.exists(data.resolve("keys").resolve(EVIDENCE_PUBLIC_KEY_FILE))) {
                // Evidence was signed here before: a new key would orphan it (and replace the public key that
                // verifies it). The vault, or its master key, is not the one that signed.
                throw new VaultException("the vault under " + data + " has no evidence-signing key, yet "
                        + "keys/" + EVIDENCE_PUBLIC_KEY_FILE + " exists: restore the vault and master key that signed"
                        + " this data rather than making a new key");
            }
            signer = EvidenceSigner.generate();
            vault.putSystemSecret(EVIDENCE_KEY, signer.privateJwk().getBytes(StandardCharsets.UTF_8));
        }
        Path keys = Files.createDirectories(data.resolve("keys"));
        Files.writeString(keys.resolve(EVIDENCE_PUBLIC_KEY_FILE), signer.publicJwk() + "\n");
        return signer;
    }

    /** The grant-signing key lives in the vault; its public half is exported for offline verification. */
    public static GrantSigner grantSigner(Vault vault, Path data) throws VaultException, IOException {
        GrantSigner signer;
        var stored = vault.systemSecret(GRANT_KEY);
        if (stored.isPresent()) {
            try {
                signer = GrantSigner.fromPrivateJwk(new String(stored.get(), StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new VaultException("the grant-signing key in the vault is unreadable: " + e.getMessage());
            }
        } else {
            signer = GrantSigner.generate();
            vault.putSystemSecret(GRANT_KEY, signer.privateJwk().getBytes(StandardCharsets.UTF_8));
        }
        Path keys = Files.createDirectories(data.resolve("keys"));
        Files.writeString(keys.resolve(GRANT_PUBLIC_KEY_FILE), signer.publicJwk() + "\n");
        return signer;
    }

    /** Grants ending (expiry, revocation, leavers) close the live sessions that ran under them. */
    private static GrantListener endSessions(LiveSessions live) {
        return new GrantListener() {
            @Override
            public void grantEnded(Grant grant, String reason) {
                // Same words as the enforcer's, whichever of the two closes the session first.
                String what = grant.state() == GrantState.REVOKED ? "was revoked (" + reason + ")"
                        : grant.state() == GrantState.EXPIRED ? "ended at " + grant.end() : "ended (" + reason + ")";
                live.terminate(s -> grant.id().equals(s.grantId()), "your access to " + grant.target() + "/"
                        + grant.account() + " " + what + "; the session is closed");
            }

            @Override
            public void userRemoved(String user, String reason) {
                live.terminate(s -> s.user().equals(user), "your access was withdrawn (" + reason
                        + "); the session is closed");
            }
        };
    }

    /** Leavers' portal sessions end with their SSH sessions. */
    private static GrantListener endPortalSessions(PortalSessions portal, Auditor audit) {
        return new GrantListener() {
            @Override
            public void grantEnded(Grant grant, String reason) {
            }

            @Override
            public void userRemoved(String user, String reason) {
                int n = portal.endUser(user);
                if (n > 0) {
                    audit.record("portal.session.ended", user, null, null, "deny", reason, Map.of("sessions", n));
                }
            }
        };
    }

    private static java.util.Collection<String> sessionUsers(LiveSessions live, PortalSessions portal) {
        Set<String> users = new HashSet<>(portal.users());
        live.list().forEach(s -> users.add(s.user()));
        return users;
    }

    /**
     * The origin browsers reach Portier at: {@code server.https.publicUrl}, or the listen address (a wildcard one
     * read as localhost) with the bound port.
     */
    private static java.net.URI publicUrl(PortierConfig config, HttpsFront https) {
        if (config.server().publicUrl() != null) {
            return config.server().publicUrl();
        }
        String host = config.server().httpsListen().host();
        host = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return java.net.URI.create("https://" + host + ":" + https.port());
    }

    /** Another node may have revoked a grant: its sessions here end within a second too. */
    private static void endRevokedElsewhere(AccessStore store, LiveSessions live) {
        Set<String> checked = new HashSet<>();
        for (LiveSessions.LiveSession s : live.list()) {
            if (s.grantId() == null || !checked.add(s.grantId())) {
                continue;
            }
            try {
                var g = store.grant(s.grantId());
                if (g.isEmpty() || g.get().state() == GrantState.REVOKED) {
                    live.terminate(x -> s.grantId().equals(x.grantId()), "your access to " + s.target() + "/"
                            + s.account() + " was revoked; the session is closed");
                }
            } catch (StoreException e) {
                LOG.warn("cannot check grant {}: {}", s.grantId(), e.getMessage());
            }
        }
    }

    /**
     * Applies a changed configuration's users: people no longer in it lose their grants, pending requests,
     * pending approvals and live sessions. Other changes need a restart.
     */
    public Set<String> reloadIdentities(PortierConfig next) {
        IdentityProvider local = new LocalIdentityProvider(next.identity());
        localUsers.set(local);
        Set<String> gone = identities.replace(identities(local, keycloak));
        for (String user : gone) {
            access.identityRemoved(user, "removed from the configuration");
        }
        return gone;
    }

    private static void trySecure(Path data) {
        try {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot restrict {} to its owner: {}", data, e.getMessage());
        }
    }

    /** Portier's SSH host key, {@code type base64}, for known_hosts lines. */
    public String hostKeyLine() {
        return ssh.hostKeyLine();
    }

    public int sshPort() {
        return ssh.port();
    }

    public int httpsPort() {
        return https.port();
    }

    /** Keycloak when configured: the seam for SSH device login, Keycloak public keys, leavers and portal login. */
    public java.util.Optional<KeycloakIntegration> keycloak() {
        return java.util.Optional.ofNullable(keycloak);
    }

    public GatewayContext context() {
        return context;
    }

    @Override
    public void close() {
        context.audit().record("gateway.stop", "portier", null, null, null, "stopping", Map.of());
        closeAll(closeables);
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (AutoCloseable c : list) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("shutdown: {} did not close cleanly: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
