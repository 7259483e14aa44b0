package dev.portier.access.sod;

import java.util.Objects;

/**
 * A refusal by one rule.
 *
 * @param rule    the rule's name, e.g. {@code no-self-approval} or a configured name such as {@code billing-vs-audit}
 * @param message one user-facing sentence that names the rule and says what to do
 */
public record Violation(String rule, String message) {
    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** A refusal by an SoD rule: the message reads {@code refused by SoD rule <rule>: <reason>}. */
    public static Violation sod(String rule, String reason) {
        return new Violation(rule, "refused by SoD rule " + rule + ": " + reason);
    }
}
