package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.RequestState;
import dev.portier.access.service.AccessHarness.Heard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a grant ends: its time is up, it is revoked, its single use is spent, or its holder leaves. */
class GrantLifecycleTest {
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

    private Grant granted(String user, String target, String account) throws Exception {
        AccessRequest r = h.file(user, target, account);
        h.approve("bob", r.id());
        return h.onlyGrantFor(r.id());
    }

    @Test
    void sweepExpiresGrantPastItsEndAndTellsListeners() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        h.clock.advance(Duration.ofHours(1).minusNanos(1000));
        h.service.sweep();
        assertEquals(GrantState.ACTIVE, h.store.grant(g.id()).orElseThrow().state());
        assertTrue(h.heard.isEmpty());

        h.clock.advance(Duration.ofNanos(1000));
        h.service.sweep();

        assertEquals(GrantState.EXPIRED, h.store.grant(g.id()).orElseThrow().state());
        assertEquals(List.of(new Heard("grantEnded", g.id() + ":EXPIRED", "the grant's time is up")), h.heard);
        assertTrue(h.authorize("alice", "rtr-ams-01", "admin").requestable());
        assertTrue(h.notified.contains("grant.expired"));
        assertEquals("deny", h.auditLine("grant.expired", "portier").path("decision").asText());
    }

    @Test
    void grantIsNotUsableAtItsEndEvenBeforeTheSweep() throws Exception {
        granted("alice", "rtr-ams-01", "admin");
        h.clock.advance(Duration.ofHours(1));

        assertFalse(h.authorize("alice", "rtr-ams-01", "admin").decision().permitted());
    }

    @Test
    void granteeRevokesOwnGrant() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        Grant revoked = h.service.revoke(h.id("alice"), g.id(), "done");

        assertEquals(GrantState.REVOKED, revoked.state());
        assertEquals(GrantState.REVOKED, h.store.grant(g.id()).orElseThrow().state());
        assertEquals(List.of(new Heard("grantEnded", g.id() + ":REVOKED", "done")), h.heard);
        assertFalse(h.authorize("alice", "rtr-ams-01", "admin").decision().permitted());
        JsonNode line = h.auditLine("grant.revoked", "alice");
        assertEquals("deny", line.path("decision").asText());
        assertEquals(g.id(), line.path("grantId").asText());
    }

    @Test
    void approverRevokesSomeoneElsesGrant() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        Grant revoked = h.service.revoke(h.id("erin"), g.id(), null);

        assertEquals("erin", revoked.endedBy());
        assertEquals(1, h.heard.size());
    }

    @Test
    void otherUserCannotRevokeAGrant() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        refused("not-allowed", () -> h.service.revoke(h.id("mallory"), g.id(), "sabotage"));

        assertEquals(GrantState.ACTIVE, h.store.grant(g.id()).orElseThrow().state());
        assertTrue(h.heard.isEmpty());
        assertTrue(h.lastRefusal("mallory").path("reason").asText().startsWith("not-allowed:"));
    }

    @Test
    void revokingAnEndedGrantIsRefusedAndAudited() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");
        h.service.revoke(h.id("alice"), g.id(), "done");

        refused("not-active", () -> h.service.revoke(h.id("bob"), g.id(), "again"));

        assertEquals(1, h.heard.size());
        assertTrue(h.lastRefusal("bob").path("reason").asText().startsWith("not-active:"));
    }

    @Test
    void leaverLosesGrantsAndPendingRequests() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");
        AccessRequest pending = h.file("alice", "fw-ams-01", "admin");

        h.service.identityRemoved("alice", "left the company");

        assertEquals(GrantState.REVOKED, h.store.grant(g.id()).orElseThrow().state());
        assertEquals(RequestState.CANCELLED, h.stored(pending.id()).state());
        assertTrue(h.heard.contains(new Heard("grantEnded", g.id() + ":REVOKED", "user left: left the company")));
        assertEquals(new Heard("userRemoved", "alice", "left the company"), h.heard.get(h.heard.size() - 1));
        JsonNode line = h.auditLine("identity.removed", "portier");
        assertEquals("alice", line.path("user").asText());
        assertEquals("deny", line.path("decision").asText());
    }

    @Test
    void leaversApprovalsOnPendingRequestsAreWithdrawn() throws Exception {
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("bob", r.id());

        h.service.identityRemoved("bob", "left the company");

        assertTrue(h.stored(r.id()).approvals().isEmpty());
        assertEquals(1, h.auditLine("identity.removed", "portier").path("approvalsWithdrawn").asInt());
        assertEquals(RequestState.PENDING, h.approve("erin", r.id()).state(), "erin alone is one of two");
    }

    @Test
    void leaversApprovalOnAnApprovedRequestStays() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        h.service.identityRemoved("bob", "left the company");

        assertEquals(GrantState.ACTIVE, h.store.grant(g.id()).orElseThrow().state());
        assertEquals(List.of("bob"), h.store.grant(g.id()).orElseThrow().approvers());
    }

    @Test
    void singleUseGrantIsUsedBySessionStartAndAdmitsNoOther() throws Exception {
        Grant g = granted("alice", "app-lin-01", "root");
        assertTrue(g.singleUse(), "policy linux-root-once is single use");
        SessionAuthorization first = h.authorize("alice", "app-lin-01", "root");
        assertTrue(first.decision().permitted());

        h.service.sessionStarted(first.grant(), "s-1");

        assertEquals(GrantState.USED, h.store.grant(g.id()).orElseThrow().state());
        SessionAuthorization second = h.authorize("alice", "app-lin-01", "root");
        assertFalse(second.decision().permitted());
        assertTrue(second.requestable());
        assertEquals("allow", h.auditLine("grant.used", "alice").path("decision").asText());
    }

    /** Two sessions authorized at once under one single-use grant: the second start must be refused. */
    @Test
    void secondSessionStartedUnderSingleUseGrantIsRefused() throws Exception {
        granted("alice", "app-lin-01", "root");
        SessionAuthorization a = h.authorize("alice", "app-lin-01", "root");
        SessionAuthorization b = h.authorize("alice", "app-lin-01", "root");
        h.service.sessionStarted(a.grant(), "s-1");

        refused("grant-used", () -> h.service.sessionStarted(b.grant(), "s-2"));
    }

    @Test
    void reusableGrantStaysActiveAfterSessions() throws Exception {
        Grant g = granted("alice", "rtr-ams-01", "admin");

        h.service.sessionStarted(h.authorize("alice", "rtr-ams-01", "admin").grant(), "s-1");
        h.service.sessionStarted(h.authorize("alice", "rtr-ams-01", "admin").grant(), "s-2");

        assertEquals(GrantState.ACTIVE, h.store.grant(g.id()).orElseThrow().state());
    }

    /** Erin's approval was recorded, then a reload took her approver role away: the grant must not name her. */
    @Test
    void grantNamesOnlyTheApprovalsThatCounted() throws Exception {
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("erin", r.id());
        h.identities.reload(ServiceConfig.withUsers(ServiceConfig.USERS.replace(
                "{ name: erin, teams: [security], roles: [approver] }", "{ name: erin, teams: [security] }")));
        h.approve("bob", r.id());
        assertEquals(RequestState.PENDING, h.stored(r.id()).state(), "erin no longer counts");

        h.approve("frank", r.id());

        assertEquals(List.of("bob", "frank"), h.onlyGrantFor(r.id()).approvers());
    }
}
