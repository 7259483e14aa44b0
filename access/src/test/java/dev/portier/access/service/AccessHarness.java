package dev.portier.access.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.access.audit.TestEvidenceKey;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.identity.Identity;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.store.JdbcAccessStore;
import dev.portier.config.PortierConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.function.Executable;

/**
 * One access service on real parts: the H2 store and the audit log in a temporary directory, a fresh signing
 * key, the configured local users and policies, and a clock the test moves. Records what the listeners and the
 * notifier were told.
 */
final class AccessHarness implements AutoCloseable {
    /** Monday 6 May 2024, 10:00 in Brussels: inside the suppliers' office-hours window. */
    static final Instant MONDAY_10H = Instant.parse("2024-05-06T08:00:00Z");
    /** Saturday 11 May 2024, 10:00 in Brussels: outside it. */
    static final Instant SATURDAY_10H = Instant.parse("2024-05-11T08:00:00Z");
    static final String REASON = "replace line card";
    static final String TICKET = "CHG-1234";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A grant that ended, or a user removed, as a listener heard it. */
    record Heard(String what, String subject, String reason) {
    }

    final PortierConfig config;
    final TestClock clock = new TestClock(MONDAY_10H);
    final JdbcAccessStore store;
    final FileAuditLog audit;
    final TestEvidenceKey evidenceKey = new TestEvidenceKey();
    final GrantSigner signer = GrantSigner.generate();
    final SwitchableIdentities identities;
    final DefaultAccessService service;
    final List<Heard> heard = new CopyOnWriteArrayList<>();
    final List<String> notified = new CopyOnWriteArrayList<>();

    AccessHarness(Path dir) throws Exception {
        this(dir, ServiceConfig.standard());
    }

    AccessHarness(Path dir, PortierConfig config) throws Exception {
        this.config = config;
        this.store = JdbcAccessStore.embedded(dir.resolve("data"));
        this.audit = new FileAuditLog(dir.resolve("audit"), evidenceKey);
        this.identities = new SwitchableIdentities(config);
        this.service = new DefaultAccessService(config, new PolicyEngine(config), store, identities, signer, audit,
                (event, payload) -> notified.add(event), clock);
        service.addListener(new GrantListener() {
            @Override
            public void grantEnded(Grant grant, String reason) {
                heard.add(new Heard("grantEnded", grant.id() + ":" + grant.state(), reason));
            }

            @Override
            public void userRemoved(String user, String reason) {
                heard.add(new Heard("userRemoved", user, reason));
            }
        });
    }

    Identity id(String user) {
        return identities.lookup(user).orElseThrow(() -> new IllegalArgumentException("no test user " + user));
    }

    static RequestSpec spec(String target, String account, Duration duration) {
        return new RequestSpec(target, account, REASON, TICKET, duration, null, false);
    }

    static RequestSpec breakGlass(String target, String account) {
        return new RequestSpec(target, account, "core down, customers offline", "INC-77", null, null, true);
    }

    /** Files a request that the test expects to be accepted. */
    AccessRequest file(String user, String target, String account) throws AccessException {
        return service.request(id(user), spec(target, account, Duration.ofHours(1))).request();
    }

    AccessRequest approve(String user, String requestId) throws AccessException {
        return service.approve(id(user), requestId, "ok");
    }

    AccessRequest stored(String requestId) throws Exception {
        return store.request(requestId).orElseThrow();
    }

    /** Every grant, issued by any path, for this request. */
    List<Grant> grantsFor(String requestId) throws Exception {
        return store.grants(null, false, 1000).stream().filter(g -> requestId.equals(g.requestId())).toList();
    }

    Grant onlyGrantFor(String requestId) throws Exception {
        List<Grant> gs = grantsFor(requestId);
        assertEquals(1, gs.size(), "grants for " + requestId + ": " + gs);
        return gs.get(0);
    }

    SessionAuthorization authorize(String user, String target, String account) throws AccessException {
        return service.authorizeSession(id(user), target, account, ChannelKind.SHELL);
    }

    /** The refusal {@code action} must end in, with the code it must carry. */
    static AccessException refused(String code, Executable action) {
        AccessException e = assertThrows(AccessException.class, action);
        assertEquals(code, e.code(), "refused with: " + e.getMessage());
        return e;
    }

    /** Every event of the audit log, parsed (signed checkpoints left out). */
    List<JsonNode> auditLines() {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(audit.file(), StandardCharsets.UTF_8)) {
                JsonNode n = JSON.readTree(line);
                if (!"audit.checkpoint".equals(n.path("type").asText())) {
                    out.add(n);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> auditLines(String type) {
        return auditLines().stream().filter(n -> type.equals(n.path("type").asText())).toList();
    }

    /** The one audit line of this type (and actor, when not null). */
    JsonNode auditLine(String type, String actor) {
        List<JsonNode> found = auditLines(type).stream()
                .filter(n -> actor == null || actor.equals(n.path("actor").asText())).toList();
        assertEquals(1, found.size(), "audit lines " + type + " by " + actor + ": " + found);
        return found.get(0);
    }

    /** The last refusal written for {@code actor}. */
    JsonNode lastRefusal(String actor) {
        List<JsonNode> found = auditLines("access.refused").stream()
                .filter(n -> actor.equals(n.path("actor").asText())).toList();
        if (found.isEmpty()) {
            throw new AssertionError("no access.refused line for " + actor + " in " + auditLines());
        }
        return found.get(found.size() - 1);
    }

    @Override
    public void close() throws AuditException {
        try {
            audit.close();
        } finally {
            store.close();
        }
    }
}
