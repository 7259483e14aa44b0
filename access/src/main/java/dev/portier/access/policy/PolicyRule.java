package dev.portier.access.policy;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import dev.portier.config.PolicyConfig;
import dev.portier.config.SubjectSelector;
import dev.portier.config.TargetConfig;
import dev.portier.config.TargetSelector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One policy compiled for fast matching: hash sets instead of lists and the explanation fragments that do not
 * depend on the query prepared once. Immutable.
 */
final class PolicyRule {
    final PolicyConfig config;
    /** Position in the config, which is also the order of explanations and permits. */
    final int index;
    final String name;
    final boolean approvalRequired;
    private final Set<String> users;
    private final Set<String> teams;
    private final Set<String> roles;
    private final Set<String> realms;
    private final Set<String> accounts;
    private final Set<ChannelKind> channels;
    private final Set<String> targetNames;
    private final Map<String, String> targetLabels;
    private final Set<Classification> targetClassifications;
    private final boolean emptyTargetSelector;
    /** e.g. {@code "team netops"}: why the subject did not match, and {@code "labels kind=router"}. */
    private final String subjectNeeds;
    final String targetDescription;
    final String channelList;
    final String accountList;

    PolicyRule(PolicyConfig p, int index) {
        this.config = p;
        this.index = index;
        this.name = p.name();
        this.approvalRequired = p.approval() != null && p.approval().required();
        SubjectSelector s = p.subjects();
        this.users = Set.copyOf(s.users());
        this.teams = Set.copyOf(s.teams());
        this.roles = Set.copyOf(s.roles());
        this.realms = Set.copyOf(s.realms());
        this.accounts = Set.copyOf(p.accounts());
        EnumSet<ChannelKind> ch = EnumSet.noneOf(ChannelKind.class);
        for (String c : p.channels()) {
            ChannelKind.parse(c).ifPresent(ch::add);
        }
        this.channels = ch;
        TargetSelector t = p.targets();
        this.targetNames = Set.copyOf(t.names());
        this.targetLabels = Map.copyOf(t.labels());
        this.targetClassifications = t.classification().isEmpty()
                ? Set.of() : EnumSet.copyOf(t.classification());
        this.emptyTargetSelector = targetNames.isEmpty() && targetLabels.isEmpty() && targetClassifications.isEmpty();
        this.subjectNeeds = describeSubject(s);
        this.targetDescription = describeTarget(t);
        this.channelList = ch.stream().map(ChannelKind::key).collect(Collectors.joining(", "));
        this.accountList = accounts.isEmpty() ? "every account" : String.join(", ", p.accounts());
    }

    /** Evaluated once per target when the engine is built, never at decision time. */
    boolean coversTarget(TargetConfig target) {
        if (emptyTargetSelector) {
            return false;
        }
        if (!targetNames.isEmpty() && !targetNames.contains(target.name())) {
            return false;
        }
        for (Map.Entry<String, String> e : targetLabels.entrySet()) {
            if (!e.getValue().equals(target.labels().get(e.getKey()))) {
                return false;
            }
        }
        return targetClassifications.isEmpty() || targetClassifications.contains(target.classification());
    }

    /** Same rule as {@link #subjectMatch}, without building the explanation. */
    boolean matchesSubject(Identity id) {
        if (!realmAllows(id)) {
            return false;
        }
        if (users.contains(id.user()) || intersects(id.teams(), teams) || intersects(id.roles(), roles)) {
            return true;
        }
        return users.isEmpty() && teams.isEmpty() && roles.isEmpty() && !realms.isEmpty();
    }

    /**
     * Why the subject selector matches this identity (e.g. {@code "team netops"}), or null when it does not.
     * See {@link PolicyEngine} for the rule.
     */
    String subjectMatch(Identity id) {
        if (!realmAllows(id)) {
            return null;
        }
        String why = users.contains(id.user()) ? "user " + id.user() : null;
        if (why == null) {
            why = firstCommon("team ", id.teams(), teams);
        }
        if (why == null) {
            why = firstCommon("role ", id.roles(), roles);
        }
        if (why == null) {
            boolean realmOnly = users.isEmpty() && teams.isEmpty() && roles.isEmpty() && !realms.isEmpty();
            return realmOnly ? "realm " + id.realm() : null;
        }
        return realms.isEmpty() ? why : why + " in realm " + id.realm();
    }

    String subjectNeeds(Identity id) {
        if (!realmAllows(id)) {
            return "realm " + id.realm() + " not in [" + String.join(", ", config.subjects().realms()) + "]";
        }
        return subjectNeeds;
    }

    private boolean realmAllows(Identity id) {
        return realms.isEmpty() || (id.realm() != null && realms.contains(id.realm()));
    }

    boolean allowsAccount(String account) {
        return accounts.isEmpty() || accounts.contains(account);
    }

    boolean allowsChannel(ChannelKind kind) {
        return channels.contains(kind);
    }

    Set<ChannelKind> channels() {
        return channels;
    }

    private static boolean intersects(Set<String> mine, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return false;
        }
        for (String m : mine) {
            if (wanted.contains(m)) {
                return true;
            }
        }
        return false;
    }

    private static String firstCommon(String prefix, Set<String> mine, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return null;
        }
        // Identity sets are unordered: name the smallest common value so explanations are deterministic.
        String best = null;
        for (String m : mine) {
            if (wanted.contains(m) && (best == null || m.compareTo(best) < 0)) {
                best = m;
            }
        }
        return best == null ? null : prefix + best;
    }

    private static String describeSubject(SubjectSelector s) {
        List<String> parts = new ArrayList<>();
        if (!s.users().isEmpty()) {
            parts.add("users [" + String.join(", ", s.users()) + "]");
        }
        if (!s.teams().isEmpty()) {
            parts.add("teams [" + String.join(", ", s.teams()) + "]");
        }
        if (!s.roles().isEmpty()) {
            parts.add("roles [" + String.join(", ", s.roles()) + "]");
        }
        if (parts.isEmpty()) {
            return s.realms().isEmpty() ? "subject selector is empty and matches nobody" : "a listed realm";
        }
        return "needs " + String.join(" or ", parts);
    }

    private static String describeTarget(TargetSelector t) {
        List<String> parts = new ArrayList<>();
        if (!t.names().isEmpty()) {
            parts.add("names " + String.join(", ", t.names()));
        }
        if (!t.labels().isEmpty()) {
            parts.add("labels " + new TreeMap<>(t.labels()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        if (!t.classification().isEmpty()) {
            parts.add("classification " + t.classification().stream().map(Classification::key)
                    .collect(Collectors.joining(", ")));
        }
        return parts.isEmpty() ? "empty selector" : String.join("; ", parts);
    }
}
