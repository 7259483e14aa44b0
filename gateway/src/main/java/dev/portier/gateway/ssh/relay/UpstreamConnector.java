package dev.portier.gateway.ssh.relay;

import dev.portier.config.TargetConfig;
import dev.portier.gateway.ssh.Algorithms;
import dev.portier.vault.Credential;
import java.io.ByteArrayInputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Opens authenticated sessions to targets through one shared MINA {@link SshClient} (each client owns timer
 * and I/O pools; one per session would leak threads). Every MINA client default that trusts something is
 * replaced: host keys are pinned from the inventory, {@code ~/.ssh/config} and {@code ~/.ssh/id_*} are never
 * read, and nobody is asked anything interactively.
 */
public final class UpstreamConnector implements AutoCloseable {
    /** Why a connection failed, in words a user can act on; never holds a secret. */
    public static final class UpstreamException extends Exception {
        private final String code;

        UpstreamException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        /** {@code hostkey-mismatch}, {@code auth-failed}, {@code unreachable}, {@code bad-credential}. */
        public String code() {
            return code;
        }
    }

    private static final AttributeKey<TargetConfig> TARGET = new AttributeKey<>();
    private static final AttributeKey<PublicKey> PINNED = new AttributeKey<>();
    private static final AttributeKey<String> MISMATCH = new AttributeKey<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final SshClient client;
    private final Map<String, PublicKey> pinned = new HashMap<>();

    public UpstreamConnector(List<TargetConfig> targets) {
        for (TargetConfig t : targets) {
            pinned.put(t.name(), parseHostKey(t));
            Algorithms.validate(t.name(), t.algorithms());
        }
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(pinnedVerifier());
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        client.setUserInteraction(null);
        client.setCipherFactories(Algorithms.modernCiphers());
        client.setMacFactories(Algorithms.modernMacs());
        CoreModuleProperties.WINDOW_SIZE.set(client, 4L * 1024 * 1024);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                // Runs before our KEXINIT is sent: the only moment a per-target algorithm list can apply.
                TargetConfig target = ((ClientSession) session).getConnectionContext().getAttribute(TARGET);
                if (target != null) {
                    Algorithms.apply(target.algorithms(), session);
                }
            }
        });
        client.start();
    }

    private static PublicKey parseHostKey(TargetConfig t) {
        try {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(t.hostKey()).resolvePublicKey(null,
                    PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw new IllegalArgumentException("targets." + t.name() + ".hostKey: cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static ServerKeyVerifier pinnedVerifier() {
        return (ClientSession session, SocketAddress remote, PublicKey offered) -> {
            // Runs on an I/O thread during key exchange: only preloaded data, no lookups.
            PublicKey expected = session.getConnectionContext().getAttribute(PINNED);
            if (expected != null && KeyUtils.compareKeys(expected, offered)) {
                return true;
            }
            session.setAttribute(MISMATCH, KeyUtils.getFingerPrint(offered));
            return false;
        };
    }

    /**
     * Connects and authenticates as {@code account} on {@code target} with {@code credential}. Nothing is sent
     * before the target's host key matched the pinned one.
     */
    public CompletableFuture<ClientSession> connect(TargetConfig target, String account, Credential credential) {
        CompletableFuture<ClientSession> result = new CompletableFuture<>();
        Map<AttributeKey<?>, Object> attrs = new HashMap<>();
        attrs.put(TARGET, target);
        attrs.put(PINNED, pinned.get(target.name()));
        ConnectFuture cf;
        try {
            cf = client.connect(account, target.address().host(), target.address().port(),
                    AttributeRepository.ofAttributesMap(attrs), null);
        } catch (Exception e) {
            result.completeExceptionally(unreachable(target, e));
            return result;
        }
        cf.addListener(f -> {
            if (!f.isConnected()) {
                result.completeExceptionally(unreachable(target, f.getException()));
                return;
            }
            ClientSession session = f.getSession();
            try {
                addIdentity(session, target, account, credential);
                session.auth().addListener(af -> {
                    if (af.isSuccess()) {
                        result.complete(session);
                        return;
                    }
                    String mismatch = session.getAttribute(MISMATCH);
                    session.close(true);
                    if (mismatch != null) {
                        result.completeExceptionally(new UpstreamException("hostkey-mismatch", "the host key of "
                                + target.name() + " (" + mismatch + ") does not match the pinned key; refusing to"
                                + " connect: ask an administrator to check the target and its hostKey", af.getException()));
                    } else {
                        result.completeExceptionally(new UpstreamException("auth-failed", "Portier could not log in"
                                + " to " + target.name() + " as " + account + "; ask an administrator to check the"
                                + " credential in the vault", af.getException()));
                    }
                });
            } catch (UpstreamException e) {
                session.close(true);
                result.completeExceptionally(e);
            } catch (Exception e) {
                session.close(true);
                result.completeExceptionally(unreachable(target, e));
            }
        });
        result.orTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((s, e) -> {
            if (e != null && s == null && cf.isConnected()) {
                cf.getSession().close(true);
            }
        });
        return result;
    }

    private static void addIdentity(ClientSession session, TargetConfig target, String account, Credential credential)
            throws UpstreamException {
        if (credential instanceof Credential.Password p) {
            // Also answers keyboard-interactive password prompts (MINA matches "password" prompts).
            session.addPasswordIdentity(p.password());
            return;
        }
        Credential.PrivateKey k = (Credential.PrivateKey) credential;
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(session,
                    NamedResource.ofName("vault:" + target.name() + "/" + account),
                    new ByteArrayInputStream(k.pem().getBytes(StandardCharsets.UTF_8)), FilePasswordProvider.EMPTY);
            if (pairs == null) {
                throw new UpstreamException("bad-credential", "the private key stored for " + target.name() + "/"
                        + account + " holds no key", null);
            }
            pairs.forEach(session::addPublicKeyIdentity);
        } catch (UpstreamException e) {
            throw e;
        } catch (Exception e) {
            // The parser's message could quote key material: never pass it on.
            throw new UpstreamException("bad-credential", "the private key stored for " + target.name() + "/"
                    + account + " cannot be read (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    private static UpstreamException unreachable(TargetConfig target, Throwable cause) {
        String why = cause == null ? "timed out" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new UpstreamException("unreachable", "cannot reach " + target.name() + " at " + target.address()
                + " (" + why + "); try again later or tell the target's owner", cause);
    }

    @Override
    public void close() {
        client.stop();
    }
}
