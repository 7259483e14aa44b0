package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.MONDAY_10H;
import static dev.portier.access.service.AccessHarness.SATURDAY_10H;
import static dev.portier.access.service.AccessHarness.refused;
import static dev.portier.access.service.AccessHarness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.access.policy.Decision;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests the policy limits or a segregation-of-duties rule forbid, and where each is stopped. */
class SodAttackTest {
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

    private void assertRefusalNames(String actor, String code, String rule) {
        JsonNode line = h.lastRefusal(actor);
        assertEquals("deny", line.path("decision").asText());
        assertTrue(line.path("reason").asText().startsWith(code + ":"), line.toString());
        assertTrue(line.path("reason").asText().contains(rule), line.toString());
    }

    @Test
    void durationAbovePolicyMaximumIsRefusedNamingTheRule() throws Exception {
        AccessException e = refused("duration-too-long",
                () -> h.service.request(h.id("alice"), spec("rtr-ams-01", "admin", Duration.ofHours(5))));

        assertTrue(e.getMessage().contains("max-duration"), e.getMessage());
        assertTrue(h.store.requests("alice", null, 10).isEmpty());
        assertRefusalNames("alice", "duration-too-long", "max-duration");
    }

    @Test
    void supplierOutsideContractIsRefusedAtRequest() throws Exception {
        AccessException e = refused("sod", () -> h.file("dave", "globex-srv-01", "ops"));

        assertTrue(e.getMessage().contains("suppliers"), e.getMessage());
        assertTrue(h.store.requests("dave", null, 10).isEmpty());
        assertRefusalNames("dave", "sod", "suppliers");
    }

    @Test
    void supplierSessionOutsidePolicyWindowIsRefusedAtSessionStart() throws Exception {
        h.clock.set(SATURDAY_10H);
        AccessRequest r = h.file("dave", "acme-srv-01", "ops");
        h.approve("bob", r.id());

        SessionAuthorization auth = h.authorize("dave", "acme-srv-01", "ops");

        Decision.Deny deny = (Decision.Deny) auth.decision();
        assertEquals("sod", deny.code());
        assertTrue(deny.message().contains("suppliers") && deny.message().contains("mon-fri 08:00-18:00"),
                deny.message());
        assertFalse(auth.requestable(), "another request would not help");
    }

    @Test
    void supplierSessionInsideWindowIsPermittedWithInputRecorded() throws Exception {
        h.clock.set(MONDAY_10H);
        AccessRequest r = h.file("dave", "acme-srv-01", "ops");
        h.approve("bob", r.id());

        SessionAuthorization auth = h.authorize("dave", "acme-srv-01", "ops");

        assertTrue(auth.decision().permitted(), auth.decision().message());
        assertTrue(auth.recordInput());
    }

    @Test
    void toxicCombinationThroughTwoPendingRequestsIsRefused() throws Exception {
        h.file("alice", "billing-db-01", "dba");

        AccessException e = refused("sod", () -> h.file("alice", "audit-db-01", "dba"));

        assertTrue(e.getMessage().contains("billing-vs-audit"), e.getMessage());
        assertEquals(1, h.store.requests("alice", null, 10).size());
        assertRefusalNames("alice", "sod", "billing-vs-audit");
    }

    @Test
    void toxicCombinationWithAnActiveGrantIsRefused() throws Exception {
        h.approve("bob", h.file("alice", "billing-db-01", "dba").id());

        refused("sod", () -> h.file("alice", "audit-db-01", "dba"));
    }

    /** Two requests filed at the same instant on two nodes both pass the request check; approval stops the second. */
    @Test
    void toxicCombinationThatSlippedPastRequestIsRefusedAtApproval() throws Exception {
        AccessRequest billing = h.file("alice", "billing-db-01", "dba");
        AccessRequest audit = new AccessRequest("r-slipped", "alice", "employees", "audit-db-01", "dba",
                "data-access", "audit export", null, Duration.ofHours(1), null, h.clock.instant(),
                h.clock.instant().plus(Duration.ofHours(24)), RequestState.PENDING, false, false, List.of(), null,
                null, null, 0);
        h.store.insertRequest(audit);

        AccessException e = refused("sod", () -> h.approve("bob", billing.id()));

        assertTrue(e.getMessage().contains("billing-vs-audit"), e.getMessage());
        assertTrue(h.grantsFor(billing.id()).isEmpty());
    }

    @Test
    void toxicCombinationThatSlippedThroughIsRefusedAtSessionStart() throws Exception {
        AccessRequest billing = h.file("alice", "billing-db-01", "dba");
        h.approve("bob", billing.id());
        AccessRequest audit = new AccessRequest("r-slipped", "alice", "employees", "audit-db-01", "dba",
                "data-access", "audit export", null, Duration.ofHours(1), null, h.clock.instant(),
                h.clock.instant().plus(Duration.ofHours(24)), RequestState.PENDING, false, false, List.of(), null,
                null, null, 0);
        h.store.insertRequest(audit);

        SessionAuthorization auth = h.authorize("alice", "billing-db-01", "dba");

        assertEquals("sod", ((Decision.Deny) auth.decision()).code());
        assertTrue(auth.decision().message().contains("billing-vs-audit"), auth.decision().message());
    }

    @Test
    void roleConflictIsRefusedAtRequest() throws Exception {
        AccessException e = refused("sod", () -> h.file("olga", "rtr-ams-01", "admin"));

        assertTrue(e.getMessage().contains("auditor-operator"), e.getMessage());
        assertRefusalNames("olga", "sod", "auditor-operator");
    }

    @Test
    void roleConflictIsRefusedAtSessionStart() throws Exception {
        SessionAuthorization auth = h.authorize("olga", "rtr-ams-01", "admin");

        assertEquals("sod", ((Decision.Deny) auth.decision()).code());
        assertFalse(auth.requestable());
    }
}
