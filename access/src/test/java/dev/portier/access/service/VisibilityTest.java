package dev.portier.access.service;

import static dev.portier.access.service.AccessHarness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who sees a request, and who is still asked to approve it. */
class VisibilityTest {
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

    private List<String> pendingSeenBy(String user) throws AccessException {
        return h.service.requests(h.id(user), true).stream().map(AccessRequest::id).toList();
    }

    @Test
    void requesterApproversAndAuditorsSeeARequestOthersDoNot() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        assertEquals(List.of(r.id()), pendingSeenBy("alice"));
        assertEquals(List.of(r.id()), pendingSeenBy("bob"));
        assertEquals(List.of(r.id()), pendingSeenBy("carol"));
        assertEquals(List.of(), pendingSeenBy("mallory"));
        assertEquals(List.of(), pendingSeenBy("frank"), "frank is in no group of netops-routers");
        refused("unknown-request", () -> h.service.request(h.id("mallory"), r.id()));
    }

    @Test
    void approverStillSeesARequestAfterApprovingIt() throws Exception {
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("bob", r.id());

        assertEquals(List.of(r.id()), pendingSeenBy("bob"));
        assertEquals(r.id(), h.service.request(h.id("bob"), r.id()).id());
    }

    @Test
    void requesterSeesOwnRequestUnderCaseVariantName() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        Identity alice = h.id("alice");

        Identity shouting = new Identity("ALICE", alice.realm(), alice.teams(), alice.roles());

        assertEquals(r.id(), h.service.request(shouting, r.id()).id());
    }

    @Test
    void sameNameInAnotherRealmIsAnotherPerson() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");
        Identity impostor = new Identity("alice", "partners", Set.of("acme"), Set.of("operator"));

        refused("unknown-request", () -> h.service.request(impostor, r.id()));
        refused("unknown-request", () -> h.service.cancel(impostor, r.id()));
    }

    @Test
    void eligibleApproversLeaveOutThoseWhoApproved() throws Exception {
        AccessRequest r = h.file("alice", "fw-ams-01", "admin");
        h.approve("bob", r.id());

        assertEquals(Set.of("erin", "frank"), Set.copyOf(h.service.eligibleApprovers(h.stored(r.id()))));
    }

    @Test
    void probingForSomeoneElsesRequestIsAudited() throws Exception {
        AccessRequest r = h.file("alice", "rtr-ams-01", "admin");

        refused("unknown-request", () -> h.approve("mallory", r.id()));

        assertEquals(r.id(), h.lastRefusal("mallory").path("requestId").asText());
        assertTrue(h.lastRefusal("mallory").path("reason").asText().startsWith("unknown-request:"));
    }
}
