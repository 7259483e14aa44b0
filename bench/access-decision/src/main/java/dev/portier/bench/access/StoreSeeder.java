package dev.portier.bench.access;

import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.grant.GrantState;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.store.AccessStore;
import dev.portier.access.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Writes a {@link Workload} into a store through the store's own API, as the access service would have: each
 * grant has its request, one approval and a signed JWS; ended grants are EXPIRED; pending requests wait.
 */
final class StoreSeeder {
    private final AccessStore store;
    private final GrantSigner signer = GrantSigner.generate();
    private final Random rnd;
    private int ids;
    private int grants;
    private String jws;

    StoreSeeder(AccessStore store, long seed) {
        this.store = store;
        this.rnd = new Random(seed);
    }

    void seed(Workload w) throws StoreException {
        Instant now = SyntheticEstate.NOW;
        for (Workload.Access a : w.history) {
            Instant created = now.minus(Duration.ofMinutes(60L * 24 + rnd.nextInt(60 * 24 * 90)));
            grant(a, created, Duration.ofHours(2), GrantState.EXPIRED);
        }
        for (Workload.Access a : w.granted) {
            // Started between 5 minutes and 3 hours ago, for 4 hours: active now.
            Instant created = now.minus(Duration.ofMinutes(10 + rnd.nextInt(170)));
            grant(a, created, Duration.ofHours(4), GrantState.ACTIVE);
        }
        for (Workload.Access a : w.pending) {
            store.insertRequest(request(a, now.minus(Duration.ofMinutes(rnd.nextInt(12 * 60))), Duration.ofHours(2)));
        }
    }

    private void grant(Workload.Access a, Instant created, Duration duration, GrantState state)
            throws StoreException {
        AccessRequest r = request(a, created, duration);
        store.insertRequest(r);
        Approval vote = new Approval("approver" + rnd.nextInt(100), created.plusSeconds(120), "ok");
        store.addApproval(r.id(), vote, r.version());
        Instant start = created.plusSeconds(300);
        Instant end = start.plus(duration);
        Grant g = new Grant(String.format("g-%010x", ids++), r.id(), r.requester(), r.target(), r.account(),
                r.policy(), start, end, GrantState.ACTIVE, List.of(vote.approver()), r.reason(), r.ticket(),
                false, false, null, null, null, null, null, 0);
        // JDK 17 takes about 1.5 ms per ES256 signature: sign one grant in 100 and give the others that
        // (real-sized) statement. Nothing on the measured path verifies it.
        if (grants++ % 100 == 0) {
            jws = signer.sign(g);
        }
        g = new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), start, end, state,
                g.approvers(), g.reason(), g.ticket(), false, false, jws,
                state == GrantState.ACTIVE ? null : "portier", state == GrantState.ACTIVE ? null : end, null, null, 0);
        AccessRequest approved = new AccessRequest(r.id(), r.requester(), r.realm(), r.target(), r.account(),
                r.policy(), r.reason(), r.ticket(), r.duration(), r.start(), r.created(), r.expires(),
                RequestState.APPROVED, false, false, List.of(vote), null, "approved", start, r.version() + 1);
        if (!store.decide(approved, r.version() + 1, g)) {
            throw new IllegalStateException("request " + r.id() + " was not decided");
        }
    }

    private AccessRequest request(Workload.Access a, Instant created, Duration duration) {
        return new AccessRequest(String.format("r-%010x", ids++), a.who().user(), a.who().realm(), a.target().name(),
                a.account(), a.policy().name(), "change " + (1000 + rnd.nextInt(9000)) + ": routine maintenance",
                "CHG-" + (10000 + rnd.nextInt(90000)), duration, null, created, created.plus(Duration.ofHours(24)),
                RequestState.PENDING, false, false, List.of(), null, null, null, 0);
    }
}
