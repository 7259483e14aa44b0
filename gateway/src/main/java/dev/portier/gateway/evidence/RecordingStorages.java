package dev.portier.gateway.evidence;

import dev.portier.config.Classification;
import dev.portier.config.Durations;
import dev.portier.config.PortierConfig;
import dev.portier.config.RecordingStorageConfig;
import dev.portier.config.StorageConfig;
import dev.portier.config.TargetConfig;
import dev.portier.gateway.core.Auditor;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.storage.RecordingStorage;
import dev.portier.recorder.storage.RetentionSweeper;
import dev.portier.recorder.storage.S3ObjectStore;
import dev.portier.recorder.storage.S3Settings;
import dev.portier.recorder.storage.SpooledStorage;
import dev.portier.recorder.storage.UploadListener;
import dev.portier.recorder.storage.UploadReceipt;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording storage the configuration names ({@code storage.recordings}, {@code docs/storage.md}), with its
 * credential references resolved, and its audit trail: uploads, first upload failures and retention deletions.
 */
public final class RecordingStorages {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStorages.class);
    /** Opens the vault only when a credential lives there. */
    @FunctionalInterface
    public interface VaultOpener {
        Vault open() throws VaultException;
    }

    private RecordingStorages() {
    }

    /**
     * @throws IllegalStateException naming the missing environment variable or vault entry (never a value)
     * @throws IOException if the recordings directory cannot be prepared
     */
    public static RecordingStorage open(PortierConfig config, Path recordingsDir, VaultOpener vault)
            throws IOException {
        RecordingStorageConfig c = config.storage().recordings();
        if (c.local()) {
            return RecordingStorage.local(recordingsDir);
        }
        Map<String, String> env = System.getenv();
        S3Settings settings = new S3Settings(c.bucket(), c.prefix(), c.endpoint(), c.region(), c.pathStyle(),
                secret(c.accessKeyId(), "storage.s3.accessKeyId", env, vault),
                secret(c.secretAccessKey(), "storage.s3.secretAccessKey", env, vault),
                S3Settings.DEFAULT_REQUEST_TIMEOUT);
        return new SpooledStorage(recordingsDir, S3ObjectStore.open(settings), c.keepLocal());
    }

    /** Starts uploading closed recordings (serve only); uploads and first failures are audited. */
    public static void startUploads(RecordingStore store, PortierConfig config, Auditor audit) {
        if (store.storage() instanceof SpooledStorage spool) {
            spool.startUploads(store, uploadAudit(audit), config.storage().recordings().retryMax());
        }
    }

    /**
     * The retention sweeper of {@code recording.retention}, auditing each deletion and telling {@code onDeleted}
     * (the search index); empty when nothing expires.
     */
    public static Optional<RetentionSweeper> sweeper(RecordingStore store, PortierConfig config, Auditor audit,
            java.util.function.Consumer<String> onDeleted) {
        if (!config.recording().retention().enabled()) {
            return Optional.empty();
        }
        return Optional.of(new RetentionSweeper(store, store.storage(), r -> retention(config, r),
                new RetentionSweeper.Listener() {
                    @Override
                    public void deleted(RecordingInfo r, Duration retention, Instant expired, String location) {
                        Map<String, Object> d = details(r);
                        d.put("classification", classification(config, r).map(Classification::key).orElse("unknown"));
                        d.put("retention", Durations.format(retention));
                        d.put("expired", expired.toString());
                        d.put("location", location);
                        audit.record("recording.deleted", "portier", r.target(), r.sessionId(), null,
                                "retention ended", d);
                        onDeleted.accept(r.id());
                    }

                    @Override
                    public void failed(RecordingInfo r, String error) {
                        Map<String, Object> d = details(r);
                        d.put("error", error);
                        audit.record("recording.delete.failed", "portier", r.target(), r.sessionId(), null,
                                "retention ended; the deletion is retried at the next sweep", d);
                    }
                }));
    }

    /** Retention runs a minute after start, then hourly, on its own thread: deletions may wait on the store. */
    public static AutoCloseable schedule(RetentionSweeper sweeper) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portier-retention");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweep(Instant.now());
            } catch (IOException | RuntimeException e) {
                LOG.warn("retention sweep skipped, nothing deleted: {}", e.getMessage());
            }
        }, 1, 60, TimeUnit.MINUTES);
        return scheduler::shutdownNow;
    }

    /** A removed target's recordings are kept as long as the longest rule says (or for ever). */
    static Optional<Duration> retention(PortierConfig config, RecordingInfo r) {
        return classification(config, r).map(c -> config.recording().retention().of(c))
                .orElseGet(() -> config.recording().retention().longest());
    }

    private static Optional<Classification> classification(PortierConfig config, RecordingInfo r) {
        return r.target() == null ? Optional.empty() : config.target(r.target()).map(TargetConfig::classification);
    }

    private static UploadListener uploadAudit(Auditor audit) {
        return new UploadListener() {
            @Override
            public void uploaded(RecordingInfo r, UploadReceipt receipt, int attempts) {
                Map<String, Object> d = details(r);
                d.put("location", receipt.location());
                d.put("files", receipt.files().size());
                d.put("bytes", receipt.bytes());
                d.put("attempts", attempts);
                audit.record("recording.uploaded", "portier", r.target(), r.sessionId(), null, "confirmed by the store",
                        d);
            }

            @Override
            public void uploadFailed(RecordingInfo r, String location, String error, Instant nextAttempt) {
                Map<String, Object> d = details(r);
                d.put("location", location);
                d.put("error", error);
                d.put("nextAttempt", nextAttempt.toString());
                audit.record("recording.upload.failed", "portier", r.target(), r.sessionId(), null,
                        "kept in the spool; retried with backoff until the store confirms it", d);
            }
        };
    }

    private static Map<String, Object> details(RecordingInfo r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("recording", r.id());
        d.put("user", r.user());
        d.put("account", r.account());
        return d;
    }

    /** {@code env:NAME} from the environment, {@code vault:TARGET/ACCOUNT} from the vault (a password entry). */
    static String secret(String reference, String key, Map<String, String> env, VaultOpener vault) {
        if (reference == null) {
            return null;
        }
        if (reference.startsWith(StorageConfig.ENV_PREFIX)) {
            String name = reference.substring(StorageConfig.ENV_PREFIX.length());
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("environment variable " + name + " is not set; " + key + " needs it");
            }
            return value;
        }
        String name = reference.substring(RecordingStorageConfig.VAULT_PREFIX.length());
        String[] ta = name.split("/", 2);
        try {
            Credential c = vault.open().credential(ta[0], ta[1]);
            if (c instanceof Credential.Password p) {
                return p.password();
            }
            throw new IllegalStateException("the vault entry " + name + " for " + key + " is a private key; store the"
                    + " secret with: portier vault put " + name + " --password-stdin");
        } catch (VaultException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }
}
