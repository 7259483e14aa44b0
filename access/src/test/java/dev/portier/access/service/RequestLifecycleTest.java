package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.REASON;
import static dev.portier.access.service.AccessHarness.TICKET;
import static dev.portier.access.service.AccessHarness.refused;
import static dev.portier.access.service.AccessHarness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.grant.GrantState;
import dev.portier.access.policy.Decision;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request from filing to its end: approved, denied, cancelled or expired. */
class RequestLifecycleTest {
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
    void requestIsPendingAndNamesTheEligibleApprovers() throws Exception {
        RequestResult result = h.service.request(h.id("alice"), spec("rtr-ams-01", "admin", Duration.ofHours(2)));

        AccessRequest r = result.request();
        assertEquals(RequestState.PENDING, r.state());
        assertEquals("netops-routers", r.policy());
        assertEquals(Duration.ofHours(2), r.duration());
        assertEquals(h.clock.instant().plus(Duration.ofHours(2)), r.expires(), "pendingTimeout 2h");
        assertEquals(Set.of("bob", "erin"), Set.copyOf(result.approvers()));
        assertNull(result.grant());
        assertEquals(r, h.stored(r.id()));
    }

    @Test
    void requestWithoutDurationGetsThePolicyMaximum() throws Exception {
        AccessRequest r = h.service.request(h.id("alice"), spec("rtr-ams-01", "admin", null)).request();

        assertEquals(Duration.ofHours(4), r.duration());
    }

    @Test
    void approvalIssuesOneActiveGrantOverTheRequestedWindow() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.clock.advance(Duration.ofMinutes(5));

        AccessRequest approved = h.approve("bob", r.id());

        assertEquals(RequestState.APPROVED, approved.state());
        assertEquals(RequestState.APPROVED, h.stored(r.id()).state());
        Grant g = h.onlyGrantFor(r.id());
        assertEquals(GrantState.ACTIVE, g.state());
        assertEquals("alice", g.user());
        assertEquals("rtr-ams-01", g.target());
        assertEquals("admin", g.account());
        assertEquals(h.clock.instant(), g.start());
        assertEquals(h.clock.instant().plus(Duration.ofHours(1)), g.end());
        assertEquals(List.of("bob"), g.approvers());
        assertEquals(REASON, g.reason());
        assertEquals(TICKET, g.ticket());
    }

    @Test
    void grantStatementVerifiesWithThePublicKeyAndStatesWhoWhyAndTicket() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", r.id());
        Grant g = h.onlyGrantFor(r.id());

        JWTClaimsSet claims = GrantSigner.verify(g.jws(), h.signer.publicJwk()).orElseThrow();

        assertEquals(g.id(), claims.getJWTID());
        assertEquals("alice", claims.getSubject());
        assertEquals("rtr-ams-01", claims.getStringClaim("target"));
        assertEquals("admin", claims.getStringClaim("account"));
        assertEquals(List.of("bob"), claims.getStringListClaim("approvers"));
        assertEquals(REASON, claims.getStringClaim("reason"));
        assertEquals(TICKET, claims.getStringClaim("ticket"));
        assertEquals(r.id(), claims.getStringClaim("request"));
        assertEquals(Date.from(g.end()), claims.getExpirationTime());
        assertTrue(GrantSigner.verify(g.jws(), GrantSigner.generate().publicJwk()).isEmpty(), "another key");
    }

    @Test
    void sessionBeforeApprovalIsDeniedAndRequestable() throws Exception {
        h.file("alice", "rtr-ams-01", "admin");

        SessionAuthorization auth = h.authorize("alice", "rtr-ams-01", "admin");

        assertFalse(auth.decision().permitted());
        assertEquals("approval-required", ((Decision.Deny) auth.decision()).code());
        assertTrue(auth.requestable());
        assertNull(auth.grant());
    }

    @Test
    void sessionUnderTheGrantIsPermittedWithGrantBasis() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", r.id());
        Grant g = h.onlyGrantFor(r.id());

        SessionAuthorization auth = h.authorize("alice", "rtr-ams-01", "admin");

        Decision.Permit permit = (Decision.Permit) auth.decision();
        assertEquals("grant:" + g.id(), permit.basis());
        assertEquals("netops-routers", permit.policy());
        assertEquals(g.id(), auth.grant().id());
        assertFalse(auth.recordInput());
    }

    @Test
    void grantCoversOnlyTheAccountAsked() throws Exception {
        h.approve("bob", h.file("alice", "rtr-ams-01", "admin").id());

        assertFalse(h.authorize("alice", "rtr-ams-01", "readonly").decision().permitted());
    }

    @Test
    void sessionWithoutAccountUsesTheDefaultAccountsGrant() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", r.id());

        SessionAuthorization auth = h.authorize("alice", "rtr-ams-01", null);

        assertTrue(auth.decision().permitted(), auth.decision().message());
    }

    @Test
    void pendingRequestExpiresOnSweepAfterPendingTimeout() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        h.clock.advance(Duration.ofHours(2).minusSeconds(1));
        h.service.sweep();
        assertEquals(RequestState.PENDING, h.stored(r.id()).state());

        h.clock.advance(Duration.ofSeconds(1));
        h.service.sweep();

        AccessRequest expired = h.stored(r.id());
        assertEquals(RequestState.EXPIRED, expired.state());
        assertEquals("portier", expired.decidedBy());
        JsonNode line = h.auditLine("request.expired", "portier");
        assertEquals(r.id(), line.path("requestId").asText());
        assertEquals("deny", line.path("decision").asText());
        assertEquals("expired", line.path("state").asText());
    }

    @Test
    void requesterCancelsPendingRequest() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        AccessRequest cancelled = h.service.cancel(h.id("alice"), r.id());

        assertEquals(RequestState.CANCELLED, cancelled.state());
        assertEquals(RequestState.CANCELLED, h.stored(r.id()).state());
        assertEquals("deny", h.auditLine("request.cancelled", "alice").path("decision").asText());
    }

    @Test
    void approverCannotCancelSomeoneElsesRequest() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        refused("not-yours", () -> h.service.cancel(h.id("bob"), r.id()));

        assertEquals(RequestState.PENDING, h.stored(r.id()).state());
        assertTrue(h.lastRefusal("bob").path("reason").asText().startsWith("not-yours"));
    }

    @Test
    void approverDeniesWithComment() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        AccessRequest denied = h.service.deny(h.id("bob"), r.id(), "not during the freeze");

        assertEquals(RequestState.DENIED, denied.state());
        assertEquals("bob", h.stored(r.id()).decidedBy());
        assertTrue(h.grantsFor(r.id()).isEmpty());
        JsonNode line = h.auditLine("request.denied", "bob");
        assertEquals("deny", line.path("decision").asText());
        assertEquals("not during the freeze", line.path("reason").asText());
    }

    @Test
    void denialWithoutCommentIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        refused("comment-required", () -> h.service.deny(h.id("bob"), r.id(), " "));

        assertEquals(RequestState.PENDING, h.stored(r.id()).state());
        assertTrue(h.lastRefusal("bob").path("reason").asText().startsWith("comment-required"));
    }

    @Test
    void requestWithoutReasonIsRefused() {
        refused("reason-required", () -> h.service.request(h.id("alice"),
                new RequestSpec("rtr-ams-01", "admin", " ", null, null, null, false)));
    }

    @Test
    void requestForUnknownTargetIsRefusedAndAudited() {
        refused("unknown-target", () -> h.service.request(h.id("alice"), spec("nope-01", "admin", null)));

        assertTrue(h.lastRefusal("alice").path("reason").asText().startsWith("unknown-target"));
    }
}
