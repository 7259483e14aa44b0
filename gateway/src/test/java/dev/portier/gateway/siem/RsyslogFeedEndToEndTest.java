package dev.portier.gateway.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.config.HostPort;
import dev.portier.config.SyslogConfig;
import dev.portier.testsupport.Rsyslog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed against a real rsyslog on loopback, through an outage of the receiver. */
class RsyslogFeedEndToEndTest {
    private static final Pattern ID = Pattern.compile("\\[portier@32473 id=\"([0-9a-f]{64})\"]");
    private static final Pattern HASH = Pattern.compile("\"hash\":\"([0-9a-f]{64})\"}$");
    static final SyslogForwarder.Settings FAST = new SyslogForwarder.Settings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(2), 500,
            512 * 1024);

    @TempDir
    Path tmp;

    @Test
    void everyEventArrivesAcrossAReceiverOutage() throws Exception {
        assumeTrue(Rsyslog.installed(), "rsyslog is not installed (apt-get install rsyslog)");
        Path auditDir = tmp.resolve("audit");
        try (Rsyslog siem = Rsyslog.start(tmp.resolve("rsyslog"));
                FileAuditLog audit = new FileAuditLog(auditDir)) {
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), false, null,
                    SyslogConfig.Format.JSON, "portier");
            record(audit, 0, 5);
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, FAST)) {
                awaitAll(siem, audit.file());

                siem.stop();
                record(audit, 5, 10);
                Thread.sleep(300); // the feed finds the receiver gone and backs off
                record(audit, 15, 10);
                Thread.sleep(300);
                siem.startAgain();
                awaitAll(siem, audit.file());
                assertEquals(Files.size(audit.file()), awaitDelivered(feed, Files.size(audit.file())));
            }
            assertEquals(25, ids(audit.file()).size());
            assertTrue(siem.lines().stream().anyMatch(l -> l.startsWith("access.denied [portier@32473 id=\"")),
                    "MSGID is the event type: " + siem.lines());
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is held, not used
    void restartedFeedResumesWhereItStopped() throws Exception {
        assumeTrue(Rsyslog.installed(), "rsyslog is not installed (apt-get install rsyslog)");
        Path auditDir = tmp.resolve("audit");
        try (Rsyslog siem = Rsyslog.start(tmp.resolve("rsyslog"));
                FileAuditLog audit = new FileAuditLog(auditDir)) {
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), false, null,
                    SyslogConfig.Format.CEF, "portier");
            record(audit, 0, 3);
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, FAST)) {
                awaitAll(siem, audit.file());
            }
            record(audit, 3, 4);
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, FAST)) {
                awaitAll(siem, audit.file());
            }
            assertEquals(7, received(siem).size());
            assertEquals(7, siem.lines().size(), "nothing sent twice: " + siem.lines());
            assertTrue(siem.lines().get(0).contains(" CEF:0|Portier|Portier|"), siem.lines().get(0));
        }
    }

    static void record(FileAuditLog audit, int from, int count) throws AuditException {
        for (int i = from; i < from + count; i++) {
            audit.record(i % 5 == 4
                    ? AuditEvent.of("access.denied", "alice", "rtr-bru-01", "s" + i, "deny", "no grant [" + i + "]",
                            Map.of("account", "admin"))
                    : AuditEvent.of("session.start", "alice", "rtr-bru-01", "s" + i, "allow", "grant \"g" + i + "\"",
                            Map.of("account", "admin")));
        }
    }

    static Set<String> ids(Path auditFile) throws IOException {
        Set<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(auditFile)) {
            Matcher m = HASH.matcher(line);
            assertTrue(m.find(), line);
            ids.add(m.group(1));
        }
        return ids;
    }

    static Set<String> received(Rsyslog siem) {
        Set<String> ids = new TreeSet<>();
        for (String line : siem.lines()) {
            Matcher m = ID.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private static void awaitAll(Rsyslog siem, Path auditFile) throws Exception {
        Set<String> expected = ids(auditFile);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!received(siem).containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(received(siem));
        assertEquals(Set.of(), missing, () -> "events lost; rsyslog got " + siem.lines() + "\n" + siem.output());
    }

    private static long awaitDelivered(SyslogForwarder feed, long offset) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (feed.deliveredOffset() < offset && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return feed.deliveredOffset();
    }
}
