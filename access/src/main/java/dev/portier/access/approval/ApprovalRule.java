package dev.portier.access.approval;

import dev.portier.access.identity.Identity;
import dev.portier.access.sod.People;
import dev.portier.access.sod.SodEngine;
import dev.portier.access.sod.Violation;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.Classification;
import dev.portier.config.PolicyConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.SubjectSelector;
import dev.portier.config.TargetConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The approval a request under one policy on one target needs.
 *
 * <ul>
 *   <li><b>Groups.</b> Each {@code approvers} entry is a group; a person is in it when their user name is in
 *       {@code users} (without case), or they share a team, or hold a role. Every group needs an approval from a
 *       different person (a small bipartite matching decides, so one person never fills two groups).</li>
 *   <li><b>Count.</b> {@link #requiredCount()} distinct people in total: the policy's {@code count}, at least the
 *       number of groups, and at least {@value #RESTRICTED_MINIMUM} on restricted targets. Extra people beyond
 *       one per group may come from any group.</li>
 *   <li><b>Who counts.</b> Never the requester; each person once, whatever spelling of their name; nobody an SoD
 *       rule excludes as an approver (e.g. approver independence).</li>
 * </ul>
 * Immutable; groups are few, so evaluation is a handful of set lookups.
 */
public final class ApprovalRule {
    /** Restricted targets need at least this many distinct approvers, unless the policy asks for more. */
    public static final int RESTRICTED_MINIMUM = 2;

    private final String policy;
    private final boolean required;
    private final List<Group> groups;
    private final int count;
    private final Classification classification;
    private final SodEngine sod;

    /** A request's approval rule: the policy's approval on a target of this classification. */
    public ApprovalRule(String policy, ApprovalConfig config, Classification classification, SodEngine sod) {
        this.policy = Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(config, "approval");
        this.classification = Objects.requireNonNull(classification, "classification");
        this.sod = Objects.requireNonNull(sod, "sod");
        this.required = config.required();
        this.groups = config.approvers().stream().map(Group::new).toList();
        int floor = classification == Classification.RESTRICTED ? RESTRICTED_MINIMUM : 1;
        this.count = required ? Math.max(Math.max(config.count(), groups.size()), floor) : 0;
    }

    /**
     * The approval rule of {@code policy} on {@code target}.
     *
     * @throws IllegalArgumentException when the policy gives standing access (it has no approval)
     */
    public static ApprovalRule of(PolicyConfig policy, TargetConfig target, SodEngine sod) {
        if (policy.approval() == null) {
            throw new IllegalArgumentException("policy " + policy.name() + " gives standing access; it has no approval rule");
        }
        return new ApprovalRule(policy.name(), policy.approval(), target.classification(), sod);
    }

    /** Distinct people needed in total; 0 when the policy does not require approval. */
    public int requiredCount() {
        return count;
    }

    /** The groups as a person reads them, e.g. {@code teams:[security]}, in config order. */
    public List<String> groups() {
        return groups.stream().map(Group::description).toList();
    }

    /**
     * Counts the votes: the requester, a second vote by one person, anyone outside every group and anyone an SoD
     * rule excludes do not count ({@link ApprovalProgress#ignored()} says why).
     */
    public ApprovalProgress evaluate(Identity requester, List<ApproverVote> votes) {
        Objects.requireNonNull(requester, "requester");
        List<Identity> candidates = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ApproverVote vote : votes) {
            Identity id = vote.approver();
            if (People.same(id, requester)) {
                ignored.add(id.user() + "'s own approval does not count (SoD rule " + SodConfig.NO_SELF_APPROVAL + ")");
            } else if (!seen.add(People.key(id))) {
                ignored.add(id.user() + " approved more than once; one person counts once (SoD rule "
                        + SodConfig.DISTINCT_PEOPLE + ")");
            } else if (groupsOf(id).isEmpty()) {
                ignored.add(id.user() + " is in no approver group of policy " + policy);
            } else {
                List<Violation> excluded = sod.checkApprover(id, requester, classification);
                if (excluded.isEmpty()) {
                    candidates.add(id);
                } else {
                    ignored.add(id.user() + "'s approval does not count: " + excluded.get(0).message());
                }
            }
        }
        return progress(candidates, ignored);
    }

    /**
     * Who could approve {@code requester}'s request: in some group, not the requester, not excluded by an SoD
     * rule; each person once, in the order given.
     */
    public List<String> eligibleApprovers(Identity requester, Collection<Identity> everyone) {
        return eligible(requester, everyone).stream().map(Identity::user).toList();
    }

    /**
     * Why nobody (or too few people) could ever approve this request, so the requester hears it at once instead
     * of waiting for the request to expire; empty when enough eligible approvers exist.
     */
    public Optional<Violation> unapprovable(Identity requester, Collection<Identity> everyone) {
        Objects.requireNonNull(requester, "requester");
        if (!required) {
            return Optional.empty();
        }
        List<Identity> eligible = eligible(requester, everyone);
        ApprovalProgress possible = progress(eligible, List.of());
        if (possible.satisfied()) {
            return Optional.empty();
        }
        String needs = possible.summary();
        List<Identity> others = members(everyone).stream().filter(p -> !People.same(p, requester)).toList();
        if (progress(others, List.of()).satisfied()) {
            String rule = others.stream().filter(p -> !eligible.contains(p))
                    .flatMap(p -> sod.checkApprover(p, requester, classification).stream())
                    .map(Violation::rule).findFirst().orElse(SodConfig.APPROVER_INDEPENDENCE);
            return Optional.of(Violation.sod(rule, "not enough approvers of policy " + policy
                    + " may approve your request under this rule (" + needs + "); ask an administrator to name more approvers"));
        }
        List<Identity> withRequester = new ArrayList<>(others);
        members(List.of(requester)).forEach(withRequester::add);
        if (progress(withRequester, List.of()).satisfied()) {
            return Optional.of(Violation.sod(SodConfig.NO_SELF_APPROVAL, "nobody other than you can approve your request"
                    + " under policy " + policy + " (" + needs + "); ask an administrator to name another approver"));
        }
        return Optional.of(new Violation(SodConfig.APPROVERS, "refused by the approval rule of policy " + policy
                + ": too few people can approve its requests (" + needs + "); ask an administrator to name more approvers"));
    }

    /** Empty when {@code approver} is in at least one group; otherwise why their approval cannot count. */
    public Optional<Violation> checkMembership(Identity approver) {
        if (!groupsOf(approver).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(SodConfig.APPROVERS, "refused by the approval rule of policy " + policy
                + ": you are in none of its approver groups (" + String.join("; ", groups()) + ")"));
    }

    private List<Identity> eligible(Identity requester, Collection<Identity> everyone) {
        Objects.requireNonNull(requester, "requester");
        return members(everyone).stream()
                .filter(p -> !People.same(p, requester))
                .filter(p -> sod.checkApprover(p, requester, classification).isEmpty())
                .toList();
    }

    /** The people in some group, each once, in the order given. */
    private List<Identity> members(Collection<Identity> people) {
        Set<String> seen = new HashSet<>();
        return people.stream().filter(p -> !groupsOf(p).isEmpty() && seen.add(People.key(p))).toList();
    }

    private List<Integer> groupsOf(Identity id) {
        List<Integer> in = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).contains(id)) {
                in.add(g);
            }
        }
        return in;
    }

    /** Matches groups to distinct candidates (all already valid and distinct) and says what is missing. */
    private ApprovalProgress progress(List<Identity> candidates, List<String> ignored) {
        List<String> names = candidates.stream().map(Identity::user).toList();
        if (!required) {
            return new ApprovalProgress(true, 0, names, List.of(), ignored);
        }
        int[] matched = match(candidates);
        List<String> missing = new ArrayList<>();
        List<Group> unmatched = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            if (matched[g] < 0) {
                unmatched.add(groups.get(g));
            }
        }
        int extra = Math.max(0, count - candidates.size() - unmatched.size());
        if (groups.size() == 1 && (extra > 0 || !unmatched.isEmpty())) {
            missing.add(needs(extra + unmatched.size(), "group " + groups.get(0).description()));
        } else {
            unmatched.forEach(g -> missing.add(needs(1, "group " + g.description())));
            if (extra > 0) {
                missing.add(needs(extra, "any of the approver groups"));
            }
        }
        return new ApprovalProgress(missing.isEmpty(), count, names, missing, ignored);
    }

    private static String needs(int n, String from) {
        return "needs " + n + " more approval" + (n == 1 ? "" : "s") + " from " + from;
    }

    /**
     * A maximum matching of groups to candidates (augmenting paths; groups are few): for each group, the index
     * of the candidate that fills it, or -1.
     */
    private int[] match(List<Identity> candidates) {
        boolean[][] member = new boolean[candidates.size()][groups.size()];
        for (int c = 0; c < candidates.size(); c++) {
            for (int g : groupsOf(candidates.get(c))) {
                member[c][g] = true;
            }
        }
        int[] groupOfCandidate = new int[candidates.size()];
        Arrays.fill(groupOfCandidate, -1);
        int[] candidateOfGroup = new int[groups.size()];
        Arrays.fill(candidateOfGroup, -1);
        for (int g = 0; g < groups.size(); g++) {
            augment(g, member, new boolean[candidates.size()], groupOfCandidate, candidateOfGroup);
        }
        return candidateOfGroup;
    }

    private static boolean augment(int g, boolean[][] member, boolean[] visited, int[] groupOfCandidate,
                                   int[] candidateOfGroup) {
        for (int c = 0; c < member.length; c++) {
            if (member[c][g] && !visited[c]) {
                visited[c] = true;
                if (groupOfCandidate[c] < 0
                        || augment(groupOfCandidate[c], member, visited, groupOfCandidate, candidateOfGroup)) {
                    groupOfCandidate[c] = g;
                    candidateOfGroup[g] = c;
                    return true;
                }
            }
        }
        return false;
    }

    /** One approver group: users (compared without case: names are unique regardless of case), teams, roles. */
    private record Group(Set<String> users, Set<String> teams, Set<String> roles, String description) {
        Group(SubjectSelector s) {
            this(s.users().stream().map(u -> u.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
                    Set.copyOf(s.teams()), Set.copyOf(s.roles()), describe(s));
        }

        boolean contains(Identity id) {
            return users.contains(id.user().toLowerCase(Locale.ROOT))
                    || id.teams().stream().anyMatch(teams::contains)
                    || id.roles().stream().anyMatch(roles::contains);
        }

        private static String describe(SubjectSelector s) {
            List<String> parts = new ArrayList<>();
            if (!s.users().isEmpty()) {
                parts.add("users:[" + String.join(", ", s.users()) + "]");
            }
            if (!s.teams().isEmpty()) {
                parts.add("teams:[" + String.join(", ", s.teams()) + "]");
            }
            if (!s.roles().isEmpty()) {
                parts.add("roles:[" + String.join(", ", s.roles()) + "]");
            }
            return String.join(" or ", parts);
        }
    }
}
