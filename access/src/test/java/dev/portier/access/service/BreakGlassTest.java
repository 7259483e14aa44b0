package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.breakGlass;
import static dev.portier.access.service.AccessHarness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import dev.portier.access.policy.Decision;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emergency access: granted at once where the policy allows it, loudly audited, reviewed afterwards. */
class BreakGlassTest {
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

    private Grant breakIn() throws AccessException {
        return h.service.request(h.id("alice"), breakGlass("rtr-ams-01", "admin")).grant();
    }

    @Test
    void breakGlassOnPolicyWithoutBreakGlassIsRefused() throws Exception {
        AccessException e = refused("break-glass-not-allowed",
                () -> h.service.request(h.id("alice"), breakGlass("app-lin-01", "deploy")));

        assertTrue(e.getMessage().contains("break-glass"), e.getMessage());
        assertTrue(h.store.grants("alice", false, 10).isEmpty());
        assertTrue(h.lastRefusal("alice").path("reason").asText().startsWith("break-glass-not-allowed:"));
    }

    @Test
    void breakGlassOnPolicyThatForbidsItIsRefused() throws Exception {
        refused("break-glass-not-allowed", () -> h.service.request(h.id("alice"), breakGlass("app-lin-01", "root")));

        assertTrue(h.store.grants("alice", false, 10).isEmpty());
    }

    @Test
    void breakGlassIsGrantedAtOnceForItsMaximum() throws Exception {
        RequestResult result = h.service.request(h.id("alice"), breakGlass("rtr-ams-01", "admin"));

        Grant g = result.grant();
        assertEquals(RequestState.APPROVED, result.request().state());
        assertTrue(result.request().breakGlass());
        assertEquals(GrantState.ACTIVE, h.store.grant(g.id()).orElseThrow().state());
        assertTrue(g.breakGlass());
        assertEquals(h.clock.instant().plus(Duration.ofHours(1)), g.end());
        assertEquals(List.of(), g.approvers());
        assertEquals("grant:" + g.id(),
                ((Decision.Permit) h.authorize("alice", "rtr-ams-01", "admin").decision()).basis());
        assertTrue(h.notified.contains("breakglass"));
    }

    @Test
    void breakGlassWritesHighSeverityAuditLine() throws Exception {
        Grant g = breakIn();

        JsonNode line = h.auditLine("breakglass.granted", "alice");
        assertEquals("high", line.path("severity").asText());
        assertEquals("allow", line.path("decision").asText());
        assertEquals(g.id(), line.path("grantId").asText());
        assertEquals("rtr-ams-01", line.path("target").asText());
    }

    @Test
    void breakGlassLongerThanItsMaximumIsRefused() {
        refused("duration-too-long", () -> h.service.request(h.id("alice"),
                new RequestSpec("rtr-ams-01", "admin", "core down", null, Duration.ofHours(2), null, true)));
    }

    @Test
    void unreviewedBreakGlassIsOverdueAfter24Hours() throws Exception {
        Grant g = breakIn();

        h.clock.advance(Duration.ofHours(23));
        assertTrue(h.service.overdueReviews().isEmpty());

        h.clock.advance(Duration.ofHours(1).plusSeconds(1));
        h.service.sweep();
        assertEquals(List.of(g.id()), h.service.overdueReviews().stream().map(Grant::id).toList(),
                "listed even after the grant itself expired");
    }

    @Test
    void granteeCannotReviewOwnBreakGlass() throws Exception {
        Grant g = breakIn();

        AccessException e = refused("sod", () -> h.service.review(h.id("alice"), g.id(), "all fine"));

        assertTrue(e.getMessage().contains("no-self-approval"), e.getMessage());
        h.clock.advance(Duration.ofHours(25));
        assertEquals(1, h.service.overdueReviews().size());
    }

    @Test
    void approverReviewClearsTheOverdueReview() throws Exception {
        Grant g = breakIn();
        h.clock.advance(Duration.ofHours(25));

        Grant reviewed = h.service.review(h.id("bob"), g.id(), "outage INC-77 confirmed");

        assertEquals("bob", reviewed.reviewedBy());
        assertTrue(h.service.overdueReviews().isEmpty());
        JsonNode line = h.auditLine("breakglass.reviewed", "bob");
        assertEquals("allow", line.path("decision").asText());
        assertEquals(g.id(), line.path("grantId").asText());
    }

    @Test
    void nonApproverCannotReviewBreakGlass() throws Exception {
        Grant g = breakIn();

        refused("not-allowed", () -> h.service.review(h.id("mallory"), g.id(), "fine by me"));
    }
}
