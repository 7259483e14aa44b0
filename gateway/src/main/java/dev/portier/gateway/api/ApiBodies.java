package dev.portier.gateway.api;

/** The JSON bodies the API accepts; every field is optional to Jackson and checked by the resource. */
final class ApiBodies {
    private ApiBodies() {
    }

    /** {@code POST /requests}: {@code duration} as {@code 2h}, {@code start} as an ISO-8601 instant. */
    record NewRequest(String target, String account, String reason, String ticket, String duration, String start,
            Boolean breakGlass) {
    }

    /** {@code approve} and {@code deny}. */
    record Comment(String comment) {
    }

    /** {@code revoke}. */
    record Revocation(String reason) {
    }

    /** Calls that take no fields: an empty body or {@code {}}. */
    record None() {
    }
}
