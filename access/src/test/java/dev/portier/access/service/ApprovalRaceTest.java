package dev.portier.access.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals racing on one request: whatever the interleaving, one request yields at most one grant, and one
 * person counts once. Each race runs several times on fresh requests to meet different interleavings.
 */
class ApprovalRaceTest {
    private static final int ROUNDS = 15;

    @TempDir
    Path dir;
    AccessHarness h;
    ExecutorService pool;

    @BeforeEach
    void open() throws Exception {
        h = new AccessHarness(dir);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        h.close();
    }

    /** Runs both approvals at once; each ends approved, pending, or refused because the other won. */
    private void race(String requestId, String first, String second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<String>> outcomes = new ArrayList<>();
        for (String approver : List.of(first, second)) {
            outcomes.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                try {
                    return h.approve(approver, requestId).state().name();
                } catch (AccessException e) {
                    return e.code();
                }
            }));
        }
        for (Future<String> f : outcomes) {
            String outcome = f.get(30, TimeUnit.SECONDS);
            assertTrue(Set.of("APPROVED", "PENDING", "not-pending", "sod", "conflict").contains(outcome), outcome);
        }
    }

    @Test
    void twoApproversRacingOnCountOneYieldOneGrant() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AccessRequest r = h.file("alice", "app-lin-01", "deploy");

            race(r.id(), "bob", "erin");

            assertEquals(RequestState.APPROVED, h.stored(r.id()).state(), "round " + round);
            Grant g = h.onlyGrantFor(r.id());
            assertTrue(Set.of("bob", "erin").containsAll(g.approvers()), g.approvers().toString());
            h.service.revoke(h.id("alice"), g.id(), "next round");
        }
    }

    @Test
    void twoApproversRacingOnCountTwoYieldOneGrantNamingBoth() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AccessRequest r = h.file("alice", "fw-ams-01", "admin");

            race(r.id(), "bob", "erin");

            assertEquals(RequestState.APPROVED, h.stored(r.id()).state(), "round " + round);
            assertEquals(Set.of("bob", "erin"), Set.copyOf(h.onlyGrantFor(r.id()).approvers()));
            h.service.revoke(h.id("alice"), h.onlyGrantFor(r.id()).id(), "next round");
        }
    }

    @Test
    void samePersonApprovingTwiceAtOnceIsCountedOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AccessRequest r = h.file("alice", "fw-ams-01", "admin");

            race(r.id(), "bob", "bob");

            AccessRequest after = h.stored(r.id());
            assertEquals(RequestState.PENDING, after.state(), "round " + round);
            assertEquals(List.of("bob"), after.approvals().stream().map(Approval::approver).toList());
            assertTrue(h.grantsFor(r.id()).isEmpty());
            h.service.cancel(h.id("alice"), r.id());
        }
    }
}
