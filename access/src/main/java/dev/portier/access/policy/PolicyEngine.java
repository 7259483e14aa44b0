package dev.portier.access.policy;

import dev.portier.access.identity.Identity;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.TargetConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides standing access from the configured policies, and explains every decision.
 *
 * <p>Matching rules:
 * <ul>
 *   <li><b>Subjects.</b> A selector matches an identity when the user is in {@code users}, or shares a team
 *       with {@code teams}, or has a role in {@code roles} (these three are OR'd). When {@code realms} is
 *       non-empty it restricts: the identity's realm must also be listed. A selector with only {@code realms}
 *       matches everyone in those realms; an entirely empty selector matches nobody (fail closed).</li>
 *   <li><b>Targets.</b> Every non-empty criterion must hold: the name is in {@code names}, every label
 *       {@code key=value} is present and equal, and the classification is in {@code classification}. An
 *       entirely empty selector matches no target (fail closed).</li>
 *   <li><b>Accounts.</b> An empty {@code accounts} list allows every account of a covered target.
 *       <b>Channels.</b> Only the listed kinds; an empty list allows none.</li>
 *   <li>A matching policy without {@code approval} (or with {@code required: false}) permits; a standing
 *       policy wins over one that needs approval. Ties go to the first policy in config order.</li>
 * </ul>
 *
 * <p>Target selectors are evaluated once, when the engine is built: each target keeps the list of policies
 * that cover it, so a decision only looks at those. Immutable after construction, so thread-safe.
 */
public final class PolicyEngine {
    private static final PolicyRule[] NONE = new PolicyRule[0];

    private final Inventory inventory;
    private final List<PolicyRule> rules;
    /** Target name to the policies whose target selector covers it, in config order. */
    private final Map<String, PolicyRule[]> covering;
    /** Policy name in lower case (names are unique regardless of case) to its config. */
    private final Map<String, PolicyConfig> byName;

    public PolicyEngine(PortierConfig config) {
        Objects.requireNonNull(config, "config");
        this.inventory = new Inventory(config.targets());
        List<PolicyRule> rs = new ArrayList<>();
        for (PolicyConfig p : config.policies()) {
            rs.add(new PolicyRule(p, rs.size()));
        }
        this.rules = List.copyOf(rs);
        Map<String, PolicyRule[]> cov = new HashMap<>();
        for (TargetConfig t : inventory.all()) {
            cov.put(t.name(), rules.stream().filter(r -> r.coversTarget(t)).toArray(PolicyRule[]::new));
        }
        this.covering = Map.copyOf(cov);
        Map<String, PolicyConfig> names = new HashMap<>();
        for (PolicyConfig p : config.policies()) {
            names.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        this.byName = Map.copyOf(names);
    }

    /** The policy of that name (any case), e.g. the one a stored request or grant names. */
    public Optional<PolicyConfig> policy(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Every policy that covers the query (subject, target, account and channel all match), standing or not, in
     * config order; empty for an unknown target or account. A null account means the target's default account.
     * The access service picks the policy a request is filed under from these.
     */
    public List<PolicyConfig> matching(AccessQuery q) {
        Identity id = Objects.requireNonNull(q.identity(), "identity");
        ChannelKind channel = Objects.requireNonNull(q.channel(), "channel");
        TargetConfig t = inventory.find(q.target()).orElse(null);
        if (t == null) {
            return List.of();
        }
        String account = q.account() == null && !t.accounts().isEmpty() ? t.defaultAccount() : q.account();
        if (account == null || !t.accounts().contains(account)) {
            return List.of();
        }
        List<PolicyConfig> out = new ArrayList<>();
        for (PolicyRule r : covering.getOrDefault(t.name(), NONE)) {
            if (r.matchesSubject(id) && r.allowsAccount(account) && r.allowsChannel(channel)) {
                out.add(r.config);
            }
        }
        return List.copyOf(out);
    }

    /**
     * True when the policy {@code name} exists and its subject selector matches {@code id} as it is now: whether a
     * grant or request filed under it still has a basis after the person's teams or roles changed.
     */
    public boolean admits(String name, Identity id) {
        Optional<PolicyConfig> p = policy(name);
        return p.isPresent() && rules.stream().filter(r -> r.config == p.get()).anyMatch(r -> r.matchesSubject(id));
    }

    public Inventory inventory() {
        return inventory;
    }

    /**
     * Answers one query. A null account means the target's first (default) account.
     *
     * @return a {@link Decision.Permit} naming the standing policy, or a {@link Decision.Deny} whose code is
     *         {@code unknown-target}, {@code unknown-account}, {@code no-policy}, {@code account-not-allowed},
     *         {@code channel-not-allowed} or {@code approval-required}
     */
    public Decision decide(AccessQuery q) {
        Identity id = Objects.requireNonNull(q.identity(), "identity");
        ChannelKind channel = Objects.requireNonNull(q.channel(), "channel");
        TargetConfig t = inventory.find(q.target()).orElse(null);
        if (t == null) {
            String name = printable(q.target());
            return new Decision.Deny("unknown-target", "unknown target " + name + "; run: ssh portier targets",
                    List.of("no target named " + name + " in the inventory"));
        }
        String account = q.account() == null && !t.accounts().isEmpty() ? t.defaultAccount() : q.account();
        if (account == null || !t.accounts().contains(account)) {
            String accounts = String.join(", ", t.accounts());
            return new Decision.Deny("unknown-account",
                    t.name() + " has no account " + printable(account) + "; its accounts are: " + accounts,
                    List.of("target " + t.name() + " has accounts [" + accounts + "]"));
        }
        String where = t.name() + "/" + account;
        PolicyRule[] cov = covering.getOrDefault(t.name(), NONE);
        List<String> why = new ArrayList<>(Math.max(1, cov.length));
        PolicyRule standing = null;
        PolicyRule approval = null;
        boolean anySubject = false;
        boolean anyAccount = false;
        for (PolicyRule r : cov) {
            String subject = r.subjectMatch(id);
            if (subject == null) {
                why.add("policy " + r.name + ": subject does not match (" + r.subjectNeeds(id)
                        + "); target matches (" + r.targetDescription + ")");
                continue;
            }
            anySubject = true;
            boolean accountOk = r.allowsAccount(account);
            boolean channelOk = r.allowsChannel(channel);
            why.add("policy " + r.name + ": subject matches (" + subject + "); target matches ("
                    + r.targetDescription + "); account " + account
                    + (accountOk ? " allowed" : " not allowed (allows " + r.accountList + ")")
                    + "; channel " + channel.key()
                    + (channelOk ? " allowed" : " not allowed (allows " + r.channelList + ")")
                    + (r.approvalRequired ? "; approval required" : "; standing access"));
            anyAccount |= accountOk;
            if (accountOk && channelOk) {
                if (!r.approvalRequired && standing == null) {
                    standing = r;
                } else if (r.approvalRequired && approval == null) {
                    approval = r;
                }
            }
        }
        if (cov.length == 0) {
            why.add("no policy's target selector matches " + t.name() + " (" + rules.size() + " policies)");
        }
        if (!anySubject) {
            return new Decision.Deny("no-policy",
                    "no policy gives " + id.user() + " access to " + t.name() + "; run: ssh portier targets", why);
        }
        if (!anyAccount) {
            return new Decision.Deny("account-not-allowed", "account " + account + " on " + t.name()
                    + " is not allowed for " + id.user() + "; allowed accounts: " + allowedAccounts(id, t, cov), why);
        }
        if (standing != null) {
            return new Decision.Permit(standing.name, "standing",
                    "access to " + where + " (" + channel.key() + ") allowed by standing policy " + standing.name, why);
        }
        if (approval == null) {
            return new Decision.Deny("channel-not-allowed", channel.key() + " is not allowed on " + where
                    + "; allowed channel kinds: " + allowedChannels(id, account, cov), why);
        }
        return new Decision.Deny("approval-required", "access to " + where
                + " requires an approved request under policy " + approval.name + "; run: ssh portier request "
                + where + " --reason TEXT", why);
    }

    /** The targets this identity can reach under some policy, in inventory order. */
    public List<ReachableTarget> reachable(Identity id) {
        Objects.requireNonNull(id, "identity");
        boolean[] subject = new boolean[rules.size()];
        for (PolicyRule r : rules) {
            subject[r.index] = r.matchesSubject(id);
        }
        List<ReachableTarget> out = new ArrayList<>();
        for (TargetConfig t : inventory.all()) {
            List<String> targetAccounts = t.accounts();
            boolean[] accountAllowed = new boolean[targetAccounts.size()];
            Set<ChannelKind> channels = EnumSet.noneOf(ChannelKind.class);
            List<String> policies = new ArrayList<>();
            boolean standing = false;
            for (PolicyRule r : covering.getOrDefault(t.name(), NONE)) {
                if (!subject[r.index] || r.channels().isEmpty()) {
                    continue;
                }
                boolean contributes = false;
                for (int i = 0; i < accountAllowed.length; i++) {
                    if (r.allowsAccount(targetAccounts.get(i))) {
                        accountAllowed[i] = true;
                        contributes = true;
                    }
                }
                if (contributes) {
                    channels.addAll(r.channels());
                    policies.add(r.name);
                    standing |= !r.approvalRequired;
                }
            }
            if (!policies.isEmpty()) {
                List<String> accounts = new ArrayList<>();
                for (int i = 0; i < accountAllowed.length; i++) {
                    if (accountAllowed[i]) {
                        accounts.add(targetAccounts.get(i));
                    }
                }
                out.add(new ReachableTarget(t, accounts, channels, !standing, policies));
            }
        }
        return List.copyOf(out);
    }

    private static String allowedAccounts(Identity id, TargetConfig t, PolicyRule[] cov) {
        List<String> allowed = new ArrayList<>();
        for (String a : t.accounts()) {
            for (PolicyRule r : cov) {
                if (r.matchesSubject(id) && r.allowsAccount(a)) {
                    allowed.add(a);
                    break;
                }
            }
        }
        return allowed.isEmpty() ? "none" : String.join(", ", allowed);
    }

    private static String allowedChannels(Identity id, String account, PolicyRule[] cov) {
        Set<ChannelKind> kinds = EnumSet.noneOf(ChannelKind.class);
        for (PolicyRule r : cov) {
            if (r.matchesSubject(id) && r.allowsAccount(account)) {
                kinds.addAll(r.channels());
            }
        }
        return kinds.isEmpty() ? "none"
                : kinds.stream().map(ChannelKind::key).collect(Collectors.joining(", "));
    }

    /**
     * Target and account names come from the SSH username: echo them without control characters (a terminal
     * escape in a message must not reach the user's terminal or the audit log raw) and bounded in length.
     */
    static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return b.toString();
    }

    /**
     * The policies, in config order, whose subject matches {@code id} and which cover {@code target} with
     * {@code account}, whatever the channel: what a request for that access falls under.
     */
    public List<PolicyConfig> policiesFor(Identity id, String target, String account) {
        List<PolicyConfig> out = new ArrayList<>();
        for (PolicyRule r : covering.getOrDefault(target, NONE)) {
            if (r.matchesSubject(id) && r.allowsAccount(account)) {
                out.add(r.config);
            }
        }
        return out;
    }
}
