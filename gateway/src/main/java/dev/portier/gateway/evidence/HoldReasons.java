package dev.portier.gateway.evidence;

/**
 * What a legal hold's reason may be: it ends up in the audit log, the SIEM and listings, so it is one line of
 * printable text of reasonable length (a case or ticket reference and a few words).
 */
public final class HoldReasons {
    public static final int MAX_LENGTH = 500;

    private HoldReasons() {
    }

    /** @return null when {@code reason} is acceptable, else what is wrong with it, as a sentence fragment */
    public static String problem(String reason) {
        if (reason == null || reason.isBlank()) {
            return "--reason TEXT is required (a case or ticket reference)";
        }
        if (reason.length() > MAX_LENGTH) {
            return "--reason must be at most " + MAX_LENGTH + " characters";
        }
        if (reason.codePoints().anyMatch(Character::isISOControl)) {
            return "--reason must be one line of printable text";
        }
        return null;
    }
}
