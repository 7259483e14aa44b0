package dev.portier.access.policy;

import dev.portier.config.TargetConfig;
import java.util.List;
import java.util.Set;

/**
 * A target an identity can reach under at least one policy, summarised for the menu and the {@code targets}
 * command. The summary is a union over policies; {@link PolicyEngine#decide} stays the authority for one
 * account and channel.
 *
 * @param accounts         accounts some matching policy allows, in the target's order
 * @param channels         channel kinds some matching policy allows
 * @param approvalRequired true when every matching policy requires an approved request
 * @param policies         the matching policies, in config order
 */
public record ReachableTarget(
        TargetConfig target,
        List<String> accounts,
        Set<ChannelKind> channels,
        boolean approvalRequired,
        List<String> policies) {

    public ReachableTarget {
        accounts = List.copyOf(accounts);
        channels = Set.copyOf(channels);
        policies = List.copyOf(policies);
    }
}
