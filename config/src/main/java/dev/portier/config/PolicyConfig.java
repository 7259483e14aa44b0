package dev.portier.config;

import java.util.List;
import java.util.Set;

/**
 * One entry of {@code policies:}: who may reach which targets, with which accounts and channel kinds.
 *
 * @param accounts   empty means every account of a matching target
 * @param channels   channel kinds allowed ({@code shell}, {@code exec}, {@code sftp})
 * @param approval   {@code null} for standing access
 * @param breakGlass {@code null} when break-glass is not allowed (the default)
 * @param windows    when sessions under this policy may run; empty means any time. Enforced for suppliers.
 */
public record PolicyConfig(
        String name,
        SubjectSelector subjects,
        TargetSelector targets,
        List<String> accounts,
        Set<String> channels,
        ApprovalConfig approval,
        BreakGlassConfig breakGlass,
        List<WindowConfig> windows) {

    /** Every channel kind a policy can allow, and the default when {@code channels:} is omitted. */
    public static final List<String> CHANNEL_KINDS = List.of("shell", "exec", "sftp");

    public PolicyConfig {
        accounts = List.copyOf(accounts);
        channels = Set.copyOf(channels);
        windows = List.copyOf(windows);
    }

    /** True when {@code request ... --break-glass} may grant at once under this policy. */
    public boolean breakGlassAllowed() {
        return breakGlass != null && breakGlass.allowed();
    }
}
