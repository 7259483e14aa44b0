package dev.portier.access.policy;

import java.util.List;

/**
 * The answer to an {@link AccessQuery}, with its explanation: fronts show it, they never decide.
 */
public sealed interface Decision permits Decision.Permit, Decision.Deny {

    /** One sentence for the user (and the audit reason). */
    String message();

    /** Why: one line per policy considered. */
    List<String> explanation();

    boolean permitted();

    /**
     * Access allowed.
     *
     * @param policy the policy that allowed it
     * @param basis  {@code standing} (a policy without approval) or, later, {@code grant:<id>}
     */
    record Permit(String policy, String basis, String message, List<String> explanation) implements Decision {
        public Permit {
            explanation = List.copyOf(explanation);
        }

        @Override
        public boolean permitted() {
            return true;
        }
    }

    /**
     * Access refused.
     *
     * @param code a stable reason code for audit and scripts: {@code unknown-target}, {@code unknown-account},
     *             {@code no-policy}, {@code account-not-allowed}, {@code channel-not-allowed},
     *             {@code approval-required}
     */
    record Deny(String code, String message, List<String> explanation) implements Decision {
        public Deny {
            explanation = List.copyOf(explanation);
        }

        @Override
        public boolean permitted() {
            return false;
        }
    }
}
