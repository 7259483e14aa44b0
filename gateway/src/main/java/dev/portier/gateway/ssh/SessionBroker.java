package dev.portier.gateway.ssh;

import dev.portier.access.grant.Grant;
import dev.portier.access.identity.Identity;
import dev.portier.access.service.AccessException;
import dev.portier.access.service.SessionAuthorization;
import dev.portier.access.policy.AccessQuery;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.policy.Decision;
import dev.portier.config.TargetConfig;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.core.LiveSessions.LiveSession;
import dev.portier.gateway.evidence.InputMasker;
import dev.portier.gateway.evidence.SpotChecks;
import dev.portier.gateway.ssh.relay.BridgeSpec;
import dev.portier.gateway.ssh.relay.ChannelBridge;
import dev.portier.gateway.ssh.relay.Downstream;
import dev.portier.gateway.ssh.relay.UpstreamConnector;
import dev.portier.gateway.ssh.relay.UpstreamConnector.UpstreamException;
import dev.portier.recorder.RecorderException;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.SessionRecorder;
import dev.portier.vault.Credential;
import dev.portier.vault.VaultException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a user's channel request into a bridged, recorded channel to a target, or a refusal: asks the
 * access core for a decision, opens the recording, gets the credential from the vault, connects upstream,
 * and audits each step. Fails closed at every step.
 */
final class SessionBroker {
    private static final Logger LOG = LoggerFactory.getLogger(SessionBroker.class);

    private final GatewayContext ctx;
    private final UpstreamConnector connector;
    private final Executor worker;
    private final SpotChecks spotChecks;

    SessionBroker(GatewayContext ctx, UpstreamConnector connector, Executor worker) {
        this(ctx, connector, worker, null);
    }

    /** @param spotChecks samples sessions for the auditors' review queue; null samples none */
    SessionBroker(GatewayContext ctx, UpstreamConnector connector, Executor worker, SpotChecks spotChecks) {
        this.spotChecks = spotChecks;
        this.ctx = ctx;
        this.connector = connector;
        this.worker = worker;
    }

    /**
     * @return the bridge now carrying the channel, or empty when refused (the user was told why and the
     *         channel is ending)
     */
    /** Offered a denial that a request could cure; true when the channel takes over (the inline flow). */
    interface RequestOffer {
        RequestOffer NONE = (target, account, message) -> false;

        boolean offer(String target, String account, String message);
    }

    /** Called on a worker thread: the decision may read the access store. */
    Optional<ChannelBridge> open(GatewaySession gs, String targetName, String accountName, BridgeSpec spec,
            Downstream down, RequestOffer offer) {
        Identity id = gs.identity();
        if (id == null) {
            return refuse(down, "not authenticated", gs, null, "unauthenticated", "not authenticated");
        }
        Optional<ChannelKind> kind = channelKind(spec);
        if (kind.isEmpty()) {
            return refuse(down, "the " + spec.command() + " subsystem is not supported; use sftp, scp or a shell",
                    gs, targetName, "subsystem-not-supported", spec.command());
        }
        Optional<TargetConfig> target = ctx.policies().inventory().find(targetName);
        String account = accountName != null ? accountName
                : target.map(TargetConfig::defaultAccount).orElse(null);
        SessionAuthorization auth;
        try {
            auth = ctx.access() != null ? ctx.access().authorizeSession(id, targetName, account, kind.get())
                    : new SessionAuthorization(ctx.policies().decide(new AccessQuery(id, targetName, account,
                            kind.get())), null, false, false);
        } catch (AccessException e) {
            return refuse(down, e.getMessage(), gs, targetName, e.code(), e.getMessage());
        }
        Decision decision = auth.decision();
        if (!decision.permitted()) {
            Decision.Deny deny = (Decision.Deny) decision;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("channel", kind.get().key());
            details.put("account", account);
            details.put("explanation", decision.explanation());
            ctx.audit().record("access.denied", id.user(), targetName, gs.id(), "deny", deny.code(), details);
            if (auth.requestable() && offer.offer(targetName, account, decision.message())) {
                return Optional.empty();
            }
            String hint = auth.requestable() ? "; run: ssh -p 2222 " + id.user() + "@<portier> request " + targetName
                    + "/" + account + " --reason TEXT --wait" : "";
            down.printErr("portier: " + decision.message() + hint + "\r\n");
            down.end(1, null);
            return Optional.empty();
        }
        return start(gs, id, target.orElseThrow(), account, kind.get(), spec, auth, down);
    }

    private Optional<ChannelBridge> start(GatewaySession gs, Identity id, TargetConfig target, String account,
            ChannelKind kind, BridgeSpec spec, SessionAuthorization auth, Downstream down) {
        Decision.Permit permit = (Decision.Permit) auth.decision();
        Grant grant = auth.grant();
        Instant started = Instant.now();
        boolean transfer = kind == ChannelKind.SFTP || isTransferCommand(spec);
        String channelName = kind == ChannelKind.SFTP ? "sftp" : transfer ? transferName(spec) : kind.key();
        RecordingMetadata meta = new RecordingMetadata(gs.id(), id.user(), target.name(), account, channelName,
                spec.command(), Math.max(spec.columns(), 1), Math.max(spec.rows(), 1),
                spec.term(), started, ctx.config().recording().input() || auth.recordInput(),
                grant == null ? null : grant.jws());
        AtomicReference<ChannelBridge> bridgeRef = new AtomicReference<>();
        SessionRecorder recorder;
        try {
            recorder = ctx.recordings().open(meta, failure -> {
                ChannelBridge b = bridgeRef.get();
                if (b != null) {
                    b.terminate("recording failed, so the session is closed (Portier allows no unrecorded session)");
                }
            });
        } catch (RecorderException e) {
            LOG.error("[{}] cannot open a recording: {}", gs.id(), e.getMessage());
            ctx.audit().record("session.refused", id.user(), target.name(), gs.id(), "deny", "recorder-unavailable",
                    Map.of("error", String.valueOf(e.getMessage())));
            down.printErr("portier: the session cannot be recorded, so it is refused; tell a Portier administrator\r\n");
            down.end(1, null);
            return Optional.empty();
        }
        String channelId = gs.id() + "/" + down.channel().getChannelId();
        RecordingTap.EndListener onEnd = (exit, signal, reason) -> {
            ctx.sessions().remove(channelId);
            ChannelBridge b = bridgeRef.get();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("channel", channelName);
            details.put("account", account);
            details.put("bytesFromUser", b == null ? 0 : b.bytesFromUser());
            details.put("bytesFromTarget", b == null ? 0 : b.bytesFromTarget());
            details.put("exitStatus", exit);
            details.put("exitSignal", signal);
            details.put("durationMs", Duration.between(started, Instant.now()).toMillis());
            ctx.audit().record("session.end", id.user(), target.name(), gs.id(), null, reason, details);
        };
        RecordingTap tap = kind == ChannelKind.SFTP ? RecordingTap.sftp(recorder, onEnd, worker)
                : transfer ? RecordingTap.transfer(recorder, spec.command(), onEnd, worker)
                : meta.recordInput()
                        ? RecordingTap.terminal(recorder,
                                InputMasker.withPatterns(ctx.config().recording().maskPatterns()), onEnd, worker)
                        : RecordingTap.terminal(recorder, onEnd, worker);
        tap.onTransfer(e -> worker.execute(() -> ctx.audit().record("transfer." + e.kind(), id.user(), target.name(),
                gs.id(), null, e.kind(), new LinkedHashMap<>(e.fields()))));
        ChannelBridge bridge = new ChannelBridge(gs.id(), down, spec, tap);
        bridgeRef.set(bridge);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channelName);
        details.put("account", account);
        details.put("command", spec.command());
        details.put("policy", permit.policy());
        details.put("basis", permit.basis());
        details.put("client", gs.remoteAddress());
        if (!ctx.audit().record("session.start", id.user(), target.name(), gs.id(), "allow", permit.message(), details)) {
            bridge.terminate("the audit log cannot be written, so the session is refused; tell a Portier administrator");
            return Optional.of(bridge);
        }
        if (spotChecks != null) {
            spotChecks.consider(id, target, gs.id(), started);
        }
        ctx.sessions().add(new LiveSession(channelId, gs.id(), id.user(), target.name(), account, started,
                grant == null ? null : grant.id(), auth.deadline(), line -> down.printErr("\r\n" + line + "\r\n"), bridge::terminate));
        if (grant != null) {
            try {
                ctx.access().sessionStarted(grant, gs.id());
            } catch (AccessException e) {
                // A single-use grant another session used first: this one must not run.
                bridge.terminate(e.getMessage());
                return Optional.of(bridge);
            }
        }
        String key = target.name() + "/" + account;
        gs.upstream(key, k -> connect(gs, id, target, account)).whenComplete((session, error) -> {
            if (error == null) {
                bridge.attach(session);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            bridge.fail(cause instanceof UpstreamException || cause instanceof VaultException ? cause.getMessage()
                    : "cannot reach " + target.name() + " (" + cause.getClass().getSimpleName() + ")", null);
        });
        return Optional.of(bridge);
    }

    private CompletableFuture<ClientSession> connect(GatewaySession gs, Identity id, TargetConfig target,
            String account) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Credential c = ctx.credentials().credential(target.name(), account);
                ctx.audit().record("vault.read", id.user(), target.name(), gs.id(), "allow", "inject credential",
                        Map.of("account", account, "kind", c.kind()));
                return c;
            } catch (VaultException e) {
                ctx.audit().record("vault.read", id.user(), target.name(), gs.id(), "deny", e.getMessage(),
                        Map.of("account", account));
                throw new CompletionException(e);
            }
        }, worker).thenCompose(c -> connector.connect(target, account, c)).whenComplete((s, e) -> {
            if (e == null) {
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UpstreamException ue) {
                String type = "hostkey-mismatch".equals(ue.code()) ? "hostkey.mismatch" : "upstream.failed";
                ctx.audit().record(type, id.user(), target.name(), gs.id(), "deny", ue.getMessage(),
                        Map.of("account", account, "code", ue.code()));
            }
        });
    }

    private static Optional<ChannelKind> channelKind(BridgeSpec spec) {
        return switch (spec.kind()) {
            case "shell" -> Optional.of(ChannelKind.SHELL);
            case "exec" -> Optional.of(ChannelKind.EXEC);
            case "subsystem" -> "sftp".equals(spec.command()) ? Optional.of(ChannelKind.SFTP) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean isTransferCommand(BridgeSpec spec) {
        return "exec".equals(spec.kind()) && transferName(spec) != null;
    }

    private static String transferName(BridgeSpec spec) {
        String c = spec.command() == null ? "" : spec.command().trim();
        if (c.startsWith("scp ")) {
            return "scp";
        }
        if (c.startsWith("rsync ") && c.contains("--server")) {
            return "rsync";
        }
        return null;
    }

    private Optional<ChannelBridge> refuse(Downstream down, String message, GatewaySession gs, String target,
            String code, String reason) {
        ctx.audit().record("access.denied", gs.userName(), target, gs.id(), "deny",
                code, Map.of("detail", String.valueOf(reason)));
        down.printErr("portier: " + message + "\r\n");
        down.end(1, null);
        return Optional.empty();
    }
}
