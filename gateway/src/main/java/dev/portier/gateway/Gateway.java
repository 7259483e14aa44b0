package dev.portier.gateway;

import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.access.identity.LocalIdentityProvider;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.core.LiveSessions;
import dev.portier.gateway.ssh.SshFront;
import dev.portier.recorder.RecordingStore;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: the core services and the protocol fronts built from one configuration. The HTTPS
 * front joins here in a later release, beside the SSH front.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayContext context;
    private final FileAuditLog auditLog;
    private final RecordingStore recordings;
    private final SshFront ssh;

    private Gateway(GatewayContext context, FileAuditLog auditLog, RecordingStore recordings, SshFront ssh) {
        this.context = context;
        this.auditLog = auditLog;
        this.recordings = recordings;
        this.ssh = ssh;
    }

    /** Builds every service and starts listening; fails with a clear message rather than half-starting. */
    public static Gateway start(PortierConfig config) throws IOException, VaultException, AuditException {
        Path data = config.server().dataDir();
        Files.createDirectories(data);
        trySecure(data);
        Vault vault = Vault.open(data);
        FileAuditLog audit = new FileAuditLog(data.resolve("audit"));
        RecordingStore recordings = new RecordingStore(data.resolve("recordings"));
        GatewayContext ctx = new GatewayContext(config, new LocalIdentityProvider(config.identity()),
                new PolicyEngine(config), vault, recordings, new Auditor(audit), new LiveSessions(), null);
        SshFront ssh;
        try {
            ssh = new SshFront(ctx, data);
            ssh.start();
        } catch (IOException | RuntimeException e) {
            recordings.close();
            audit.close();
            throw e;
        }
        ctx.audit().record("gateway.start", "portier", null, null, null, "started",
                Map.of("ssh", config.server().sshListen().toString(), "targets", config.targets().size(),
                        "policies", config.policies().size()));
        return new Gateway(ctx, audit, recordings, ssh);
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

    public GatewayContext context() {
        return context;
    }

    @Override
    public void close() {
        try {
            ssh.close();
        } catch (IOException e) {
            LOG.warn("SSH front did not stop cleanly: {}", e.getMessage());
        }
        context.audit().record("gateway.stop", "portier", null, null, null, "stopped", Map.of());
        recordings.close();
        try {
            auditLog.close();
        } catch (AuditException e) {
            LOG.warn("audit log did not close cleanly: {}", e.getMessage());
        }
    }
}
