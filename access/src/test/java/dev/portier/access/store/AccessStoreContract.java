package dev.portier.access.store;

import static dev.portier.access.store.StoreFixtures.T0;
import static dev.portier.access.store.StoreFixtures.approval;
import static dev.portier.access.store.StoreFixtures.forKey;
import static dev.portier.access.store.StoreFixtures.grant;
import static dev.portier.access.store.StoreFixtures.pending;
import static dev.portier.access.store.StoreFixtures.withState;
import static dev.portier.access.store.StoreFixtures.withVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccessStore} database must do, run once per database so H2 and PostgreSQL cannot drift
 * apart. Each test starts on an empty database of its own.
 */
abstract class AccessStoreContract {
    private static final int RACE_ROUNDS = 20;
    private static final int RACERS = 4;

    protected AccessStore store;

    /** Prepares an empty database for this test; {@link #openStore()} opens it as often as asked. */
    protected abstract void freshDatabase() throws Exception;

    protected abstract AccessStore openStore() throws StoreException;

    /** A plain JDBC connection to this test's database, to check what the schema itself enforces. */
    protected abstract Connection rawConnection() throws SQLException;

    @BeforeEach
    void open() throws Exception {
        freshDatabase();
        store = openStore();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private AccessStore reopen() throws StoreException {
        store.close();
        store = openStore();
        return store;
    }

    @Test
    void requestRoundTripKeepsEveryField() throws Exception {
        AccessRequest full = new AccessRequest("r-full", "alice", "employees", "rtr-bru-01", "admin",
                "netops-routers", "replace line card", "CHG-1234", Duration.ofMinutes(90).plusNanos(5_000),
                T0.plusSeconds(3600), T0, T0.plusSeconds(1800), RequestState.DENIED, true, true,
                List.of(approval("bob", 10), new Approval("erin@partners", T0.plusSeconds(20), null)), "carol",
                "not during the freeze", T0.plusSeconds(30), 7);
        AccessRequest sparse = new AccessRequest("r-sparse", "dave", null, "fw-01", "root", null, null, null, null,
                null, T0, null, RequestState.PENDING, false, false, List.of(), null, null, null, 0);
        store.insertRequest(full);
        store.insertRequest(sparse);

        assertEquals(Optional.of(full), store.request("r-full"));
        assertEquals(Optional.of(sparse), store.request("r-sparse"));
    }

    @Test
    void grantRoundTripKeepsEveryField() throws Exception {
        store.insertRequest(pending("r-1"));
        Grant full = new Grant("g-full", "r-1", "alice", "rtr-bru-01", "admin", "netops-routers", T0,
                T0.plusSeconds(7200), GrantState.REVOKED, List.of("bob", "erin@partners", "x.y-z_1"), "reason",
                "CHG-1", true, true, "eyJ.e30.sig", "carol", T0.plusSeconds(100), "bob", T0.plusSeconds(200), 3);
        Grant sparse = new Grant("g-sparse", null, "dave", "fw-01", "root", null, T0, T0.plusSeconds(60),
                GrantState.ACTIVE, List.of(), null, null, false, false, null, null, null, null, null, 0);
        store.insertGrant(full);
        store.insertGrant(sparse);

        assertEquals(Optional.of(full), store.grant("g-full"));
        assertEquals(Optional.of(sparse), store.grant("g-sparse"));
    }

    @Test
    void instantsKeepMicrosecondsAndDropNanoseconds() throws Exception {
        Instant withNanos = Instant.parse("2025-03-01T10:00:00.123456789Z");
        store.insertRequest(pending("r-1", "alice", withNanos));

        assertEquals(Instant.parse("2025-03-01T10:00:00.123456Z"), store.request("r-1").orElseThrow().created());
    }

    @Test
    void unknownIdsReadAsEmpty() throws Exception {
        assertEquals(Optional.empty(), store.request("nope"));
        assertEquals(Optional.empty(), store.grant("nope"));
    }

    @Test
    void duplicateRequestIsRefusedInOneSentence() throws Exception {
        store.insertRequest(pending("r-1"));

        StoreException e = assertThrows(StoreException.class, () -> store.insertRequest(pending("r-1")));
        assertEquals("access request r-1 already exists", e.getMessage());
    }

    @Test
    void requestsAreNewestFirstAndFilteredByRequesterAndState() throws Exception {
        store.insertRequest(pending("r-a1", "alice", T0));
        store.insertRequest(pending("r-b1", "bob", T0.plusSeconds(1)));
        store.insertRequest(withState(pending("r-a2", "alice", T0.plusSeconds(2)), RequestState.DENIED));
        store.insertRequest(pending("r-a3", "alice", T0.plusSeconds(3)));
        store.insertRequest(pending("r-a4", "alice", T0.plusSeconds(3)));
        store.addApproval("r-a3", approval("bob", 5), 0);
        store.addApproval("r-a3", approval("carol", 6), 1);

        assertEquals(List.of("r-a4", "r-a3", "r-a2", "r-b1", "r-a1"), ids(store.requests(null, null, 10)));
        assertEquals(List.of("r-a4", "r-a3", "r-a2", "r-a1"), ids(store.requests("alice", null, 10)));
        assertEquals(List.of("r-a4", "r-a3", "r-b1", "r-a1"), ids(store.requests(null, RequestState.PENDING, 10)));
        assertEquals(List.of("r-a2"), ids(store.requests("alice", RequestState.DENIED, 10)));
        assertEquals(List.of("r-a4", "r-a3"), ids(store.requests("alice", RequestState.PENDING, 2)));
        assertEquals(List.of(), store.requests(null, null, 0));
        AccessRequest listed = store.requests(null, null, 2).get(1);
        assertEquals(store.request("r-a3").orElseThrow(), listed);
        assertEquals(List.of("bob", "carol"), listed.approvals().stream().map(Approval::approver).toList());
    }

    @Test
    void approvalIsRecordedAndBumpsTheVersion() throws Exception {
        store.insertRequest(pending("r-1"));

        assertTrue(store.addApproval("r-1", approval("bob", 10), 0));
        assertTrue(store.addApproval("r-1", approval("carol", 20), 1));

        assertEquals(withVersion(pending("r-1"), 2, List.of(approval("bob", 10), approval("carol", 20))),
                store.request("r-1").orElseThrow());
    }

    @Test
    void secondApprovalBySamePersonIsRefusedByTheDatabase() throws Exception {
        store.insertRequest(pending("r-1"));
        assertTrue(store.addApproval("r-1", approval("bob", 10), 0));

        // The version is current, so only the unique constraint can refuse it.
        assertFalse(store.addApproval("r-1", approval("bob", 20), 1));
        assertEquals(withVersion(pending("r-1"), 1, List.of(approval("bob", 10))), store.request("r-1").orElseThrow());

        try (Connection c = rawConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO approvals (request_id, approver, approved_us) VALUES ('r-1', 'bob', 0)")) {
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("23505", e.getSQLState());
        }
    }

    @Test
    void approvalAtAStaleVersionIsRefused() throws Exception {
        store.insertRequest(pending("r-1"));
        assertTrue(store.addApproval("r-1", approval("bob", 10), 0));

        assertFalse(store.addApproval("r-1", approval("carol", 20), 0));
        assertFalse(store.addApproval("r-1", approval("carol", 20), 5));
        assertEquals(1, store.request("r-1").orElseThrow().version());
    }

    @Test
    void approvalOfADecidedOrUnknownRequestIsRefused() throws Exception {
        store.insertRequest(withState(pending("r-1"), RequestState.CANCELLED));

        assertFalse(store.addApproval("r-1", approval("bob", 10), 0));
        assertFalse(store.addApproval("nope", approval("bob", 10), 0));
        assertEquals(List.of(), store.request("r-1").orElseThrow().approvals());
    }

    @Test
    void decisionStoresTheNewStateAndTheGrantTogether() throws Exception {
        store.insertRequest(pending("r-1"));
        store.addApproval("r-1", approval("bob", 10), 0);
        AccessRequest approved = withState(store.request("r-1").orElseThrow(), RequestState.APPROVED);

        assertTrue(store.decide(approved, 1, grant("g-1", "r-1")));

        assertEquals(withVersion(approved, 2, approved.approvals()), store.request("r-1").orElseThrow());
        assertEquals(Optional.of(grant("g-1", "r-1")), store.grant("g-1"));
    }

    @Test
    void denialStoresNoGrant() throws Exception {
        store.insertRequest(pending("r-1"));
        AccessRequest denied = withState(pending("r-1"), RequestState.DENIED);

        assertTrue(store.decide(denied, 0, null));

        assertEquals(withVersion(denied, 1, List.of()), store.request("r-1").orElseThrow());
        assertEquals(List.of(), store.grants(null, false, 10));
    }

    @Test
    void decisionAtAStaleVersionOrOnADecidedRequestChangesNothing() throws Exception {
        store.insertRequest(pending("r-1"));
        store.insertRequest(withState(pending("r-2"), RequestState.EXPIRED));

        assertFalse(store.decide(withState(pending("r-1"), RequestState.APPROVED), 3, grant("g-1", "r-1")));
        assertFalse(store.decide(withState(pending("r-2"), RequestState.APPROVED), 0, grant("g-2", "r-2")));

        assertEquals(Optional.of(pending("r-1")), store.request("r-1"));
        assertEquals(RequestState.EXPIRED, store.request("r-2").orElseThrow().state());
        assertEquals(List.of(), store.grants(null, false, 10));
    }

    @Test
    void decisionIsUndoneWhenItsGrantCannotBeStored() throws Exception {
        store.insertRequest(pending("r-1"));
        store.insertGrant(grant("g-taken", null));

        StoreException e = assertThrows(StoreException.class,
                () -> store.decide(withState(pending("r-1"), RequestState.APPROVED), 0, grant("g-taken", "r-1")));

        assertEquals("grant g-taken already exists, or request r-1 already has one", e.getMessage());
        assertEquals(Optional.of(pending("r-1")), store.request("r-1"));
        assertEquals(List.of("g-taken"), store.grants(null, false, 10).stream().map(Grant::id).toList());
        // The version bump was rolled back too: the same decision at the same version still succeeds.
        assertTrue(store.decide(withState(pending("r-1"), RequestState.APPROVED), 0, grant("g-1", "r-1")));
    }

    @Test
    void decisionToAPendingStateIsAProgrammingError() throws Exception {
        store.insertRequest(pending("r-1"));

        assertThrows(IllegalArgumentException.class, () -> store.decide(pending("r-1"), 0, null));
    }

    @Test
    void racingDecisionsOnOneVersionLetExactlyOneWinAndMakeOneGrant() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String id = "r-race-" + round;
            store.insertRequest(pending(id));
            AccessRequest approved = withState(pending(id), RequestState.APPROVED);
            List<Boolean> wins = race(racer -> store.decide(approved, 0, grant(id + "-g" + racer, id)));

            assertEquals(1, wins.stream().filter(w -> w).count(), "winners in round " + round);
            assertEquals(1, store.grants(null, false, 1000).stream().filter(g -> id.equals(g.requestId())).count());
            assertEquals(1, store.request(id).orElseThrow().version());
        }
    }

    @Test
    void decisionWaitsForAnotherNodesOpenDecisionAndThenLoses() throws Exception {
        store.insertRequest(pending("r-1"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection otherNode = rawConnection()) {
            otherNode.setAutoCommit(false);
            try (PreparedStatement ps = otherNode.prepareStatement("UPDATE requests SET state = 'DENIED',"
                    + " version = version + 1 WHERE id = 'r-1' AND version = 0")) {
                assertEquals(1, ps.executeUpdate());
            }
            Future<Boolean> mine = pool.submit(
                    () -> store.decide(withState(pending("r-1"), RequestState.APPROVED), 0, grant("g-1", "r-1")));

            // Deciding on what it read before the other node committed would grant a denied request.
            assertThrows(TimeoutException.class, () -> mine.get(500, TimeUnit.MILLISECONDS));
            otherNode.commit();
            assertFalse(mine.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(RequestState.DENIED, store.request("r-1").orElseThrow().state());
        assertEquals(Optional.empty(), store.grant("g-1"));
    }

    @Test
    void racingApprovalsOnOneVersionLetExactlyOneWin() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String id = "r-race-" + round;
            store.insertRequest(pending(id));
            List<Boolean> wins = race(racer -> store.addApproval(id, approval("approver" + racer, racer), 0));

            assertEquals(1, wins.stream().filter(w -> w).count(), "winners in round " + round);
            AccessRequest stored = store.request(id).orElseThrow();
            assertEquals(1, stored.approvals().size());
            assertEquals(1, stored.version());
        }
    }

    @Test
    void activeGrantWindowIncludesItsStartAndExcludesItsEnd() throws Exception {
        Instant end = T0.plus(Duration.ofHours(2));
        store.insertGrant(grant("g-1", null, T0, end));
        Duration micro = Duration.ofNanos(1_000);

        assertEquals(List.of(), activeAt(T0.minus(micro)));
        assertEquals(List.of("g-1"), activeAt(T0));
        assertEquals(List.of("g-1"), activeAt(end.minus(micro)));
        assertEquals(List.of(), activeAt(end));
    }

    @Test
    void activeGrantsAreOnlyActiveOnesForThatUserTargetAndAccount() throws Exception {
        store.insertGrant(grant("g-active", null));
        store.insertGrant(withState(grant("g-revoked", null), GrantState.REVOKED));
        store.insertGrant(withState(grant("g-used", null), GrantState.USED));
        store.insertGrant(withState(grant("g-expired", null), GrantState.EXPIRED));
        store.insertGrant(forKey(grant("g-bob", null), "bob", "rtr-bru-01", "admin"));
        store.insertGrant(forKey(grant("g-other-target", null), "alice", "rtr-bru-02", "admin"));
        store.insertGrant(forKey(grant("g-other-account", null), "alice", "rtr-bru-01", "oper"));
        store.insertGrant(grant("g-later", null, T0.plusSeconds(60), T0.plusSeconds(600)));

        assertEquals(List.of("g-active", "g-later"), activeAt(T0.plusSeconds(120)));
    }

    @Test
    void grantUpdateReplacesFieldsOnlyAtTheExpectedVersion() throws Exception {
        store.insertGrant(grant("g-1", null));
        Grant revoked = new Grant("g-1", null, "alice", "rtr-bru-01", "admin", "netops-routers", T0,
                T0.plusSeconds(600), GrantState.REVOKED, List.of("bob"), "replace line card", "CHG-1234", false,
                false, "eyJhbGciOiJFZERTQSJ9.e30.c2ln", "carol", T0.plusSeconds(600), null, null, 0);

        assertTrue(store.updateGrant(revoked, 0));
        assertFalse(store.updateGrant(withState(revoked, GrantState.USED), 0));

        assertEquals(Optional.of(withVersion(revoked, 1)), store.grant("g-1"));
    }

    @Test
    void invalidApproverNameIsRefusedAndNothingIsStored() throws Exception {
        Grant bad = new Grant("g-1", null, "alice", "rtr-bru-01", "admin", null, T0, T0.plusSeconds(60),
                GrantState.ACTIVE, List.of("bob,carol"), null, null, false, true, null, null, null, null, null, 0);

        assertThrows(IllegalArgumentException.class, () -> store.insertGrant(bad));
        assertEquals(Optional.empty(), store.grant("g-1"));
    }

    @Test
    void expiredPendingAreThePendingRequestsAtOrPastTheirExpiry() throws Exception {
        store.insertRequest(pending("r-due", "alice", T0));
        store.insertRequest(pending("r-overdue", "alice", T0.minusSeconds(60)));
        store.insertRequest(pending("r-not-yet", "alice", T0.plusNanos(1_000)));
        store.insertRequest(withState(pending("r-decided", "alice", T0.minusSeconds(60)), RequestState.APPROVED));

        List<AccessRequest> expired = store.expiredPending(T0.plus(Duration.ofMinutes(30)));

        assertEquals(List.of("r-overdue", "r-due"), ids(expired));
    }

    @Test
    void endedActiveAreTheActiveGrantsAtOrPastTheirEnd() throws Exception {
        store.insertGrant(grant("g-ends-now", null, T0, T0.plusSeconds(60)));
        store.insertGrant(grant("g-ended", null, T0, T0.plusSeconds(30)));
        store.insertGrant(grant("g-running", null, T0, T0.plusSeconds(61)));
        store.insertGrant(withState(grant("g-revoked", null, T0, T0.plusSeconds(10)), GrantState.REVOKED));

        List<Grant> ended = store.endedActive(T0.plusSeconds(60));

        assertEquals(List.of("g-ended", "g-ends-now"), ended.stream().map(Grant::id).toList());
    }

    @Test
    void grantsAreNewestFirstAndFilteredByUserAndState() throws Exception {
        store.insertGrant(grant("g-1", null, T0, T0.plusSeconds(60)));
        store.insertGrant(withState(grant("g-2", null, T0.plusSeconds(1), T0.plusSeconds(60)), GrantState.REVOKED));
        store.insertGrant(forKey(grant("g-3", null, T0.plusSeconds(2), T0.plusSeconds(60)), "bob", "fw-01", "root"));

        assertEquals(List.of("g-3", "g-2", "g-1"), store.grants(null, false, 10).stream().map(Grant::id).toList());
        assertEquals(List.of("g-2", "g-1"), store.grants("alice", false, 10).stream().map(Grant::id).toList());
        assertEquals(List.of("g-1"), store.grants("alice", true, 10).stream().map(Grant::id).toList());
        assertEquals(List.of("g-3"), store.grants(null, false, 1).stream().map(Grant::id).toList());
    }

    @Test
    void reopeningAppliesNoMigrationTwice() throws Exception {
        int before = migrationsApplied();
        reopen();
        reopen();

        assertEquals(1, before);
        assertEquals(before, migrationsApplied());
    }

    @Test
    void dataSurvivesCloseAndReopen() throws Exception {
        store.insertRequest(pending("r-1"));
        store.addApproval("r-1", approval("bob", 10), 0);
        store.insertGrant(grant("g-1", "r-1"));
        AccessRequest request = store.request("r-1").orElseThrow();

        reopen();

        assertEquals(Optional.of(request), store.request("r-1"));
        assertEquals(Optional.of(grant("g-1", "r-1")), store.grant("g-1"));
    }

    private List<String> activeAt(Instant now) throws StoreException {
        return store.activeGrants("alice", "rtr-bru-01", "admin", now).stream().map(Grant::id).toList();
    }

    private static List<String> ids(List<AccessRequest> requests) {
        return requests.stream().map(AccessRequest::id).toList();
    }

    private int migrationsApplied() throws SQLException {
        try (Connection c = rawConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A step one racer takes; racers are numbered from 0. */
    interface Racer {
        boolean run(int racer) throws Exception;
    }

    /** Runs {@link #RACERS} racers released at the same instant; their answers in racer order. */
    private static List<Boolean> race(Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int n = i;
                Callable<Boolean> step = () -> {
                    ready.countDown();
                    go.await();
                    return racer.run(n);
                };
                answers.add(pool.submit(step));
            }
            ready.await();
            go.countDown();
            List<Boolean> out = new ArrayList<>();
            for (Future<Boolean> answer : answers) {
                out.add(answer.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaverApprovalsAreWithdrawnFromPendingRequestsOnly() throws Exception {
        store.insertRequest(pending("r-open"));
        store.insertRequest(pending("r-done"));
        assertTrue(store.addApproval("r-open", approval("bob", 1), 0));
        assertTrue(store.addApproval("r-done", approval("bob", 2), 0));
        AccessRequest done = store.request("r-done").orElseThrow();
        assertTrue(store.decide(withState(done, RequestState.DENIED), done.version(), null));

        assertEquals(1, store.removePendingApprovals("bob"));

        AccessRequest open = store.request("r-open").orElseThrow();
        assertTrue(open.approvals().isEmpty());
        assertEquals(2, open.version(), "the withdrawal bumps the version so a racing decision fails");
        assertEquals(1, store.request("r-done").orElseThrow().approvals().size());
    }
}
