package dev.portier.bench.access;

import dev.portier.access.identity.Identity;
import dev.portier.access.policy.AccessQuery;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.policy.ReachableTarget;
import dev.portier.access.sod.HeldAccess;
import dev.portier.access.sod.SodEngine;
import dev.portier.config.PolicyConfig;
import dev.portier.config.TargetConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What the store holds and what the benchmarks ask, derived from the estate with the policy engine and the SoD
 * engine, so that every stored grant is one Portier could have issued: its policy needs approval for that
 * user, target and account, and it passes the SoD checks against what the user already holds.
 *
 * <p>Grants are dealt round-robin over the people (one each per round) until {@link #ACTIVE_GRANTS} are placed,
 * so holdings are even, about ten per person. Each person also has a history of ended grants and every other
 * person one pending request, as a gateway that has run for a while would.
 */
final class Workload {
    static final int ACTIVE_GRANTS = 10_000;
    static final int HISTORY_PER_USER = 10;
    /** Distinct queries per benchmark, walked in turn so no single row or cache line is the only one asked. */
    static final int QUERIES = 1_024;
    /** Reachable targets per person whose accounts are sorted into standing and approval-needed. */
    private static final int SAMPLED_TARGETS = 40;

    /** One user, target, account and channel kind; {@code policy} is the policy a grant would name. */
    record Access(Identity who, TargetConfig target, String account, ChannelKind channel, PolicyConfig policy) {
        AccessQuery query() {
            return new AccessQuery(who, target.name(), account, channel);
        }
    }

    /** Stored: active grants, ended grants (expired), pending requests. */
    final List<Access> granted;
    final List<Access> history;
    final List<Access> pending;
    /** Standing access (a policy permits without approval). */
    final List<Access> standingQueries;
    /** Access that needs approval and has an active grant. */
    final List<Access> grantQueries;
    /** Access that needs approval and has no grant: refused, and the user is offered a request. */
    final List<Access> denyQueries;
    /** A mix for the policy engine alone: the three above and targets the user has no policy for. */
    final List<Access> decideQueries;

    private Workload(List<Access> granted, List<Access> history, List<Access> pending, List<Access> standing,
            List<Access> ungranted, List<Access> unreachable, Random rnd) {
        this.granted = List.copyOf(granted);
        this.history = List.copyOf(history);
        this.pending = List.copyOf(pending);
        this.standingQueries = sample(standing, QUERIES, rnd);
        this.grantQueries = sample(granted, QUERIES, rnd);
        this.denyQueries = sample(ungranted, QUERIES, rnd);
        List<Access> mix = new ArrayList<>();
        mix.addAll(sample(standing, QUERIES / 4, rnd));
        mix.addAll(sample(granted, QUERIES / 4, rnd));
        mix.addAll(sample(ungranted, QUERIES / 4, rnd));
        mix.addAll(sample(unreachable, QUERIES / 4, rnd));
        Collections.shuffle(mix, rnd);
        this.decideQueries = List.copyOf(mix);
    }

    static Workload plan(SyntheticEstate estate, long seed) {
        Random rnd = new Random(seed);
        PolicyEngine engine = new PolicyEngine(estate.config);
        SodEngine sod = new SodEngine(estate.config);
        List<TargetConfig> targets = estate.config.targets();
        int people = estate.users.size();
        List<List<Access>> standingOf = new ArrayList<>();
        List<Access> unreachable = new ArrayList<>();
        List<List<Access>> approvable = new ArrayList<>();
        for (Identity who : estate.users) {
            List<Access> standing = new ArrayList<>();
            List<Access> mine = new ArrayList<>();
            List<ReachableTarget> reachable = new ArrayList<>(engine.reachable(who));
            Set<String> names = new HashSet<>();
            reachable.forEach(rt -> names.add(rt.target().name()));
            // A sample is plenty for ten grants and the queries, and keeps the plan to a second or two.
            Collections.shuffle(reachable, rnd);
            for (ReachableTarget rt : reachable.subList(0, Math.min(SAMPLED_TARGETS, reachable.size()))) {
                for (String account : rt.accounts()) {
                    classify(engine, who, rt.target(), account, standing, mine);
                }
            }
            Collections.shuffle(mine, rnd);
            standingOf.add(standing);
            approvable.add(mine);
            TargetConfig t = targets.get(rnd.nextInt(targets.size()));
            if (!names.contains(t.name())) {
                unreachable.add(new Access(who, t, t.defaultAccount(), ChannelKind.SHELL, null));
            }
        }
        List<Access> granted = new ArrayList<>();
        List<List<HeldAccess.Held>> held = new ArrayList<>();
        estate.users.forEach(u -> held.add(new ArrayList<>()));
        int[] next = new int[people];
        boolean placed = true;
        while (granted.size() < ACTIVE_GRANTS && placed) {
            placed = false;
            for (int u = 0; u < people && granted.size() < ACTIVE_GRANTS; u++) {
                Access a = nextAllowed(sod, approvable.get(u), next, u, held.get(u));
                if (a != null) {
                    held.get(u).add(HeldAccess.Held.grant(a.target(), "g"));
                    granted.add(a);
                    placed = true;
                }
            }
        }
        if (granted.size() < ACTIVE_GRANTS) {
            throw new IllegalStateException("the estate admits only " + granted.size() + " grants");
        }
        List<Access> history = new ArrayList<>();
        List<Access> pending = new ArrayList<>();
        List<Access> ungranted = new ArrayList<>();
        List<Access> standing = new ArrayList<>();
        for (int u = 0; u < people; u++) {
            List<Access> mine = approvable.get(u);
            for (int i = 0; i < HISTORY_PER_USER && !mine.isEmpty(); i++) {
                history.add(mine.get(rnd.nextInt(mine.size())));
            }
            if (u % 2 == 0) {
                Access p = nextAllowed(sod, mine, next, u, held.get(u));
                if (p != null) {
                    held.get(u).add(HeldAccess.Held.pendingRequest(p.target(), "r"));
                    pending.add(p);
                }
            }
            ungranted.addAll(mine.subList(next[u], mine.size()));
        }
        // Standing access is refused too when the SoD rules say so (an auditor on production logging): keep
        // the first QUERIES, in random order, that they allow given what the user holds.
        List<int[]> order = new ArrayList<>();
        for (int u = 0; u < people; u++) {
            for (int i = 0; i < standingOf.get(u).size(); i++) {
                order.add(new int[] {u, i});
            }
        }
        Collections.shuffle(order, rnd);
        for (int[] ui : order) {
            if (standing.size() == QUERIES) {
                break;
            }
            Access a = standingOf.get(ui[0]).get(ui[1]);
            HeldAccess h = HeldAccess.of(held.get(ui[0]));
            if (sod.checkLogin(a.who()).isEmpty()
                    && sod.checkSessionStart(a.who(), a.target(), a.policy(), SyntheticEstate.NOW, h).isEmpty()) {
                standing.add(a);
            }
        }
        return new Workload(granted, history, pending, standing, ungranted, unreachable, rnd);
    }

    /**
     * Sorts one user, target and account into standing or approval-needed, by the first channel kind some policy
     * allows. {@link PolicyEngine#matching} applies the rule {@link PolicyEngine#decide} does (a standing policy
     * wins; the first in config order names it) without building explanations, which keeps the plan short;
     * the benchmark set-up checks every query against the service anyway.
     */
    private static void classify(PolicyEngine engine, Identity who, TargetConfig t, String account,
            List<Access> standing, List<Access> approvable) {
        for (ChannelKind channel : ChannelKind.values()) {
            List<PolicyConfig> matching = engine.matching(new AccessQuery(who, t.name(), account, channel));
            Optional<PolicyConfig> permits = matching.stream().filter(p -> !needsApproval(p)).findFirst();
            if (permits.isPresent()) {
                standing.add(new Access(who, t, account, channel, permits.get()));
                return;
            }
            if (!matching.isEmpty()) {
                approvable.add(new Access(who, t, account, channel, matching.get(0)));
                return;
            }
        }
    }

    private static boolean needsApproval(PolicyConfig p) {
        return p.approval() != null && p.approval().required();
    }

    /** The user's next approvable access that the SoD rules allow on top of what they hold (skipping others). */
    private static Access nextAllowed(SodEngine sod, List<Access> mine, int[] next, int u,
            List<HeldAccess.Held> held) {
        while (next[u] < mine.size()) {
            Access a = mine.get(next[u]++);
            HeldAccess h = HeldAccess.of(held);
            if (sod.checkRequest(a.who(), a.target(), a.policy(), SyntheticEstate.NOW, h).isEmpty()
                    && sod.checkSessionStart(a.who(), a.target(), a.policy(), SyntheticEstate.NOW, h).isEmpty()) {
                return a;
            }
        }
        return null;
    }

    private static List<Access> sample(List<Access> from, int n, Random rnd) {
        if (from.isEmpty()) {
            return List.of();
        }
        List<Access> copy = new ArrayList<>(from);
        Collections.shuffle(copy, rnd);
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }
}
