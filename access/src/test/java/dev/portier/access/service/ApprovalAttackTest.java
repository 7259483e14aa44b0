package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ways to get a grant with fewer, or other, approvers than the policy demands. */
class ApprovalAttackTest {
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

    private static void assertRefusalNames(JsonNode line, String code, String rule) {
        assertEquals("deny", line.path("decision").asText());
        assertTrue(line.path("reason").asText().startsWith(code + ":"), line.toString());
        assertTrue(line.path("reason").asText().contains(rule), line.toString());
    }

    @Test
    void selfApprovalIsRefusedByNoSelfApproval() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        AccessException e = refused("sod", () -> h.approve("alice", r.id()));

        assertTrue(e.getMessage().contains("no-self-approval"), e.getMessage());
        assertTrue(h.stored(r.id()).approvals().isEmpty());
        assertRefusalNames(h.lastRefusal("alice"), "sod", "no-self-approval");
    }

    /**
     * Config names are unique regardless of case, so no second user "Alice" can exist; but the name a front
     * passes in can be spelled differently (an SSH login, an external identity source). It is the same person.
     */
    @Test
    void selfApprovalUnderCaseVariantNameIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        Identity alice = h.id("alice");
        Identity shouting = new Identity("Alice", alice.realm(), Set.of("netops", "security"), Set.of("approver"));

        AccessException e = refused("sod", () -> h.service.approve(shouting, r.id(), "lgtm"));

        assertTrue(e.getMessage().contains("no-self-approval"), e.getMessage());
        assertEquals(RequestState.PENDING, h.stored(r.id()).state());
        assertRefusalNames(h.lastRefusal("Alice"), "sod", "no-self-approval");
    }

    /** A vote stored under the requester's name in another case (another node, an older version) never counts. */
    @Test
    void storedVoteUnderCaseVariantOfRequesterDoesNotCount() throws Exception {
        h.identities.ignoringCase();
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        assertTrue(h.store.addApproval(r.id(), new Approval("Alice", h.clock.instant(), "mine"), r.version()));

        AccessRequest after = h.approve("bob", r.id());

        assertEquals(RequestState.PENDING, after.state(), "bob plus alice's own vote is not two people");
        assertTrue(h.grantsFor(r.id()).isEmpty());
    }

    @Test
    void secondApprovalBySamePersonIsRefusedAndCountedOnce() throws Exception {
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("bob", r.id());

        AccessException e = refused("sod", () -> h.approve("bob", r.id()));

        assertTrue(e.getMessage().contains("distinct-people"), e.getMessage());
        AccessRequest stored = h.stored(r.id());
        assertEquals(RequestState.PENDING, stored.state());
        assertEquals(List.of("bob"), stored.approvals().stream().map(Approval::approver).toList());
        assertRefusalNames(h.lastRefusal("bob"), "sod", "distinct-people");
    }

    @Test
    void secondApprovalUnderCaseVariantNameIsRefused() throws Exception {
        h.identities.ignoringCase();
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("bob", r.id());
        Identity bob = h.id("bob");
        Identity shouting = new Identity("BOB", bob.realm(), bob.teams(), bob.roles());

        refused("sod", () -> h.service.approve(shouting, r.id(), "again"));

        assertEquals(1, h.stored(r.id()).approvals().size());
        assertTrue(h.grantsFor(r.id()).isEmpty());
    }

    @Test
    void onePersonCannotFillTwoApproverGroups() throws Exception {
        AccessRequest r = h.file("alice", "core-sw-01", "admin");

        assertEquals(RequestState.PENDING, h.approve("bob", r.id()).state(), "bob is in both groups, but one person");
        refused("sod", () -> h.approve("bob", r.id()));
        assertEquals(RequestState.PENDING, h.stored(r.id()).state());

        assertEquals(RequestState.APPROVED, h.approve("frank", r.id()).state());
        assertEquals(List.of("bob", "frank"), h.onlyGrantFor(r.id()).approvers());
    }

    @Test
    void restrictedTargetNeedsTwoDistinctApproversByDefault() throws Exception {
        AccessRequest r = h.file("alice", "rtr-bru-01", "admin");

        assertEquals(RequestState.PENDING, h.approve("bob", r.id()).state(), "count: 1 is raised to 2");
        assertTrue(h.grantsFor(r.id()).isEmpty());

        assertEquals(RequestState.APPROVED, h.approve("erin", r.id()).state());
        assertEquals(List.of("bob", "erin"), h.onlyGrantFor(r.id()).approvers());
    }

    @Test
    void requestNobodyElseCanApproveIsRefusedAtRequestTime() throws Exception {
        AccessException e = refused("no-approver", () -> h.file("solo", "lab-01", "root"));

        assertTrue(e.getMessage().contains("nobody other than you can approve"), e.getMessage());
        assertTrue(h.store.requests("solo", null, 10).isEmpty(), "nothing was filed");
        assertRefusalNames(h.lastRefusal("solo"), "no-approver", "no-self-approval");
    }

    @Test
    void userOutsideEveryApproverGroupCannotApprove() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        AccessException e = assertThrows(AccessException.class, () -> h.approve("mallory", r.id()));

        assertEquals(RequestState.PENDING, h.stored(r.id()).state());
        assertTrue(h.stored(r.id()).approvals().isEmpty());
        JsonNode line = h.lastRefusal("mallory");
        assertEquals("deny", line.path("decision").asText());
        assertTrue(line.path("reason").asText().startsWith(e.code() + ":"), line.toString());
    }

    @Test
    void approvingADeniedRequestIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.service.deny(h.id("erin"), r.id(), "no");

        refused("not-pending", () -> h.approve("bob", r.id()));

        assertEquals(RequestState.DENIED, h.stored(r.id()).state());
        assertTrue(h.grantsFor(r.id()).isEmpty());
        assertRefusalNames(h.lastRefusal("bob"), "not-pending", "denied");
    }

    @Test
    void approvingAnExpiredRequestIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.clock.advance(Duration.ofHours(2));

        refused("not-pending", () -> h.approve("bob", r.id()));

        assertEquals(RequestState.EXPIRED, h.stored(r.id()).state(), "found expired before the sweep did");
        assertTrue(h.grantsFor(r.id()).isEmpty());
    }

    @Test
    void approvingACancelledRequestIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.service.cancel(h.id("alice"), r.id());

        refused("not-pending", () -> h.approve("bob", r.id()));

        assertTrue(h.grantsFor(r.id()).isEmpty());
    }

    @Test
    void approvingARequestWhoseGrantWasRevokedIsRefused() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        h.approve("bob", r.id());
        h.service.revoke(h.id("alice"), h.onlyGrantFor(r.id()).id(), "done early");

        refused("not-pending", () -> h.approve("erin", r.id()));

        assertEquals(1, h.grantsFor(r.id()).size(), "no second grant");
        assertTrue(h.authorize("alice", "rtr-ams-01", "admin").requestable());
    }
}
