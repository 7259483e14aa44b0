package dev.portier.gateway.siem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.config.HostPort;
import dev.portier.config.LocalUser;
import dev.portier.config.PortierConfig;
import dev.portier.config.SiemConfig;
import dev.portier.config.SyslogConfig;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit log to a syslog receiver, at least once: it tails {@code audit.jsonl} from the position in
 * {@code siem.offset}, sends a batch, and moves the position on only when the connection outlived the batch by the
 * confirmation window (see {@link SyslogConnection}). While the receiver is unreachable events simply stay in the
 * audit log, so an outage or a restart loses nothing; after a failure the unconfirmed batch is sent again, which
 * the receiver drops by the event id in the structured data.
 *
 * <p>Every line is forwarded, whatever its type (checkpoints and other lines from other components included); a
 * line that is not a JSON object (a torn write, reported by the log's own {@code audit.chain-resumed} event) is
 * skipped with a warning.
 *
 * <p>Threading: one daemon thread, {@code portier-siem}, does everything; {@link #close} stops it after trying to
 * send what is left for {@link Settings#drain}.
 */
public final class SyslogForwarder implements AutoCloseable {
    static final String PRODUCT_VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(SyslogForwarder.class);

    /** Timing and batch limits; {@link #DEFAULT} in production, shorter ones in tests. */
    record Settings(Duration poll, Duration confirm, Duration minBackoff, Duration maxBackoff, Duration drain,
            int batchLines, int batchBytes) {
        static final Settings DEFAULT = new Settings(Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(2), 500, 512 * 1024);
    }

    private final SyslogConfig config;
    private final AuditFeed feed;
    private final SiemCursor cursor;
    private final Pseudonymizer pseudonyms;
    private final Settings settings;
    private final SSLSocketFactory tls;
    private final String procId = Long.toString(ProcessHandle.current().pid());
    private final Thread thread;
    private volatile boolean closing;
    private volatile long drainDeadline;
    private volatile SiemCursor.Position position;
    private String hostName = SyslogMessage.NIL;
    private SyslogConnection connection;
    private long backoffMs;
    private boolean outageLogged;

    private SyslogForwarder(SyslogConfig config, Path auditDir, Pseudonymizer pseudonyms, Settings settings)
            throws IOException {
        this.config = config;
        this.feed = new AuditFeed(auditDir.resolve(FileAuditLog.FILE_NAME));
        this.cursor = new SiemCursor(auditDir);
        this.pseudonyms = pseudonyms;
        this.settings = settings;
        this.tls = config.tls() ? SyslogConnection.tlsFactory(config.ca()) : null;
        this.backoffMs = settings.minBackoff().toMillis();
        this.position = initialPosition();
        this.thread = new Thread(this::run, "portier-siem");
        thread.setDaemon(true);
    }

    /**
     * Starts forwarding {@code <auditDir>/audit.jsonl} to {@code config}'s receiver.
     *
     * @param pseudonyms null to export identities as they are
     * @throws IOException when the TLS trust (the {@code ca} file) cannot be loaded
     */
    public static SyslogForwarder start(SyslogConfig config, Path auditDir, Pseudonymizer pseudonyms)
            throws IOException {
        return start(config, auditDir, pseudonyms, Settings.DEFAULT);
    }

    /**
     * The feed {@code siem:} asks for, or empty when nothing is exported. With {@code pseudonymize: true} the
     * pseudonym key is taken from the vault, created there on first use.
     */
    public static Optional<SyslogForwarder> fromConfig(PortierConfig config, Vault vault, Path auditDir)
            throws IOException, VaultException {
        SiemConfig siem = config.siem();
        if (!siem.enabled()) {
            return Optional.empty();
        }
        Pseudonymizer pseudonyms = !siem.pseudonymize() ? null : new Pseudonymizer(Pseudonymizer.keyOrCreate(vault),
                config.identity().localUsers().stream().map(LocalUser::name).toList());
        return Optional.of(start(siem.syslog(), auditDir, pseudonyms));
    }

    static SyslogForwarder start(SyslogConfig config, Path auditDir, Pseudonymizer pseudonyms, Settings settings)
            throws IOException {
        SyslogForwarder f = new SyslogForwarder(config, auditDir, pseudonyms, settings);
        f.thread.start();
        return f;
    }

    /** The offset in the audit log up to which the receiver has every event. */
    public long deliveredOffset() {
        return position.offset();
    }

    private SiemCursor.Position initialPosition() throws IOException {
        SiemCursor.Position p;
        try {
            p = cursor.load();
        } catch (IOException e) {
            LOG.warn("SIEM feed: {}; sending the audit log again from the start (the receiver drops duplicates by id)",
                    e.getMessage());
            return SiemCursor.Position.START;
        }
        if (p.offset() > feed.size()) {
            LOG.warn("SIEM feed: {} is shorter than the recorded position {}; it was replaced, sending it from the start",
                    feed.file(), p.offset());
            return SiemCursor.Position.START;
        }
        return p;
    }

    private void run() {
        hostName = localHostName();
        try {
            while (!closing || System.nanoTime() < drainDeadline) {
                if (!step()) {
                    if (closing) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("SIEM feed stopped by an unexpected error; restart Portier to resume it from {}",
                    cursor.file(), e);
        } finally {
            dropConnection();
        }
    }

    /** One round: send the next batch, or wait. @return false when there was nothing to send or it failed */
    private boolean step() throws InterruptedException {
        List<AuditFeed.Line> batch;
        try {
            batch = feed.read(position.offset(), settings.batchLines(), settings.batchBytes());
        } catch (IOException e) {
            LOG.warn("SIEM feed: cannot read {}: {}", feed.file(), e.getMessage());
            TimeUnit.MILLISECONDS.sleep(settings.poll().toMillis());
            return false;
        }
        if (batch.isEmpty()) {
            idle();
            return false;
        }
        List<byte[]> frames = new ArrayList<>(batch.size());
        String lastId = position.lastId();
        for (AuditFeed.Line line : batch) {
            AuditRecord r = AuditRecord.parse(line.bytes());
            if (r == null) {
                LOG.warn("SIEM feed: skipping an unreadable line ending at offset {} of {}", line.end(), feed.file());
                continue;
            }
            frames.add(SyslogMessage.frame(message(r)));
            lastId = r.id();
        }
        SiemCursor.Position next = new SiemCursor.Position(batch.get(batch.size() - 1).end(), lastId);
        if (frames.isEmpty()) {
            advance(next);
            return true;
        }
        if (connection == null && !connect()) {
            return false;
        }
        try {
            connection.send(frames);
        } catch (IOException e) {
            fail("sending failed: " + e.getMessage());
            return false;
        }
        if (!connection.stillOpen((int) settings.confirm().toMillis())) {
            fail("the receiver closed the connection");
            return false;
        }
        advance(next);
        return true;
    }

    private void advance(SiemCursor.Position next) {
        try {
            cursor.store(next);
        } catch (IOException e) {
            // The events were delivered; without a stored position they are sent again after a restart.
            LOG.warn("SIEM feed: cannot store the position in {}: {}", cursor.file(), e.getMessage());
        }
        position = next;
    }

    /** Builds the RFC 5424 message of one audit line. */
    String message(AuditRecord r) {
        ObjectNode event = pseudonyms == null ? r.node() : pseudonyms.apply(r.node());
        EventSeverity severity = EventSeverity.of(r.type(), r.text("decision"));
        String payload = switch (config.format()) {
            case JSON -> pseudonyms == null ? r.rawText() : event.toString();
            case CEF -> CefFormat.render(r, event, PRODUCT_VERSION, severity);
        };
        return SyslogMessage.format(severity.pri(), r.text("time"), hostName, config.appName(), procId, r.type(),
                Map.of("id", r.id()), payload);
    }

    private void idle() throws InterruptedException {
        if (connection != null && !connection.stillOpen((int) settings.poll().toMillis())) {
            LOG.info("SIEM feed: {} closed the connection; reconnecting when there is something to send",
                    config.address());
            dropConnection();
        } else if (connection == null) {
            TimeUnit.MILLISECONDS.sleep(settings.poll().toMillis());
        }
    }

    private boolean connect() throws InterruptedException {
        HostPort address = config.address();
        try {
            connection = SyslogConnection.open(address, tls);
        } catch (IOException e) {
            if (!outageLogged) {
                LOG.warn("SIEM feed: cannot reach {} ({}); events wait in the audit log and are sent on reconnect",
                        address, e.getMessage());
                outageLogged = true;
            } else {
                LOG.debug("SIEM feed: still cannot reach {}: {}", address, e.getMessage());
            }
            backOff();
            return false;
        }
        if (outageLogged) {
            LOG.info("SIEM feed: reconnected to {}; sending from offset {}", address, position.offset());
            outageLogged = false;
        }
        backoffMs = settings.minBackoff().toMillis();
        return true;
    }

    private void fail(String why) throws InterruptedException {
        LOG.warn("SIEM feed: {} ({}); sending again from offset {}", why, config.address(), position.offset());
        dropConnection();
        backOff();
    }

    private void backOff() throws InterruptedException {
        if (closing) {
            return;
        }
        TimeUnit.MILLISECONDS.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            LOG.warn("SIEM feed: cannot find this host's name ({}); messages carry none", e.getMessage());
            return SyslogMessage.NIL;
        }
    }

    /** Sends what it can within the drain time, then stops the thread. */
    @Override
    public void close() {
        drainDeadline = System.nanoTime() + settings.drain().toNanos();
        closing = true;
        try {
            thread.join(settings.drain().toMillis() + SyslogConnection.CONNECT_TIMEOUT_MS + 1000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
