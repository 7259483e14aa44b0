package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.breakGlass;
import static dev.portier.access.service.AccessHarness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.access.audit.AuditVerification;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the audit log says about each transition and each refusal. */
class AuditTrailTest {
    @TempDir
    Path dir;
    AccessHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AccessHarness(dir);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void filingNamesRequesterApproversAndPolicy() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        JsonNode line = h.auditLine("request.created", "alice");
        assertEquals("allow", line.path("decision").asText());
        assertEquals(r.id(), line.path("requestId").asText());
        assertEquals("rtr-ams-01", line.path("target").asText());
        assertEquals("admin", line.path("account").asText());
        assertEquals("netops-routers", line.path("policy").asText());
        assertEquals("pending", line.path("state").asText());
        assertEquals(Set.of("bob", "erin"), names(line.path("approvers")));
    }

    @Test
    void approvalAndGrantAreEachAudited() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", r.id());
        Grant g = h.onlyGrantFor(r.id());

        JsonNode vote = h.auditLine("request.approval", "bob");
        assertEquals("allow", vote.path("decision").asText());
        assertEquals(r.id(), vote.path("requestId").asText());
        JsonNode approved = h.auditLine("request.approved", "bob");
        assertEquals("allow", approved.path("decision").asText());
        assertEquals("approved", approved.path("state").asText());
        assertEquals(Set.of("bob"), names(approved.path("approvers")));
        assertEquals(g.id(), approved.path("grantId").asText());
        JsonNode issued = h.auditLine("grant.issued", "portier");
        assertEquals("allow", issued.path("decision").asText());
        assertEquals(g.id(), issued.path("grantId").asText());
        assertEquals(g.end().toString(), issued.path("end").asText());
    }

    @Test
    void refusalNamesActorCodeAndRule() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        assertThrows(AccessException.class, () -> h.approve("alice", r.id()));

        JsonNode line = h.lastRefusal("alice");
        assertEquals("deny", line.path("decision").asText());
        assertEquals("rtr-ams-01", line.path("target").asText());
        assertEquals(r.id(), line.path("requestId").asText());
        assertEquals("netops-routers", line.path("policy").asText());
        assertTrue(line.path("reason").asText().startsWith("sod: refused by SoD rule no-self-approval"),
                line.toString());
    }

    /** A whole day of work: every line says who acted and what was decided, and the chain verifies. */
    @Test
    void everyTransitionAndRefusalNamesActorAndDecision() throws Exception {
        AccessRequest approved = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", approved.id());
        AccessRequest denied = h.file("alice", "fw-ams-01", "admin");
        h.service.deny(h.id("erin"), denied.id(), "not now");
        AccessRequest cancelled = h.file("alice", "app-lin-01", "deploy");
        h.service.cancel(h.id("alice"), cancelled.id());
        h.file("alice", "core-sw-01", "admin");
        Grant bg = h.service.request(h.id("alice"), breakGlass("rtr-bru-01", "admin")).grant();
        h.service.review(h.id("erin"), bg.id(), "ok");
        assertThrows(AccessException.class, () -> h.approve("alice", approved.id()));
        assertThrows(AccessException.class, () -> h.approve("mallory", cancelled.id()));
        assertThrows(AccessException.class, () -> h.service.request(h.id("alice"),
                spec("rtr-ams-01", "admin", Duration.ofDays(1))));
        assertThrows(AccessException.class, () -> h.service.revoke(h.id("mallory"), bg.id(), "x"));
        h.clock.advance(Duration.ofDays(1));
        h.service.sweep();
        h.service.identityRemoved("alice", "left");

        List<JsonNode> lines = h.auditLines();
        Set<String> types = Set.copyOf(lines.stream().map(n -> n.path("type").asText()).toList());
        assertTrue(types.containsAll(Set.of("request.created", "request.approval", "request.approved",
                "grant.issued", "request.denied", "request.cancelled", "breakglass.granted", "breakglass.reviewed",
                "access.refused", "request.expired", "grant.expired", "identity.removed")), types.toString());
        for (JsonNode line : lines) {
            assertFalse(line.path("actor").asText().isEmpty(), "no actor: " + line);
            assertTrue(Set.of("allow", "deny").contains(line.path("decision").asText()), "no decision: " + line);
            assertFalse(line.path("reason").asText().isEmpty(), "no reason: " + line);
        }
        for (JsonNode refusal : h.auditLines("access.refused")) {
            assertTrue(refusal.path("reason").asText().matches("[a-z-]+: .+"), "no code: " + refusal);
        }
        h.audit.close();
        assertEquals(AuditVerification.Status.VALID,
                FileAuditLog.verify(h.audit.file(), h.evidenceKey.publicKey()).status());
    }

    private static Set<String> names(JsonNode array) {
        return Set.copyOf(StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList());
    }
}
