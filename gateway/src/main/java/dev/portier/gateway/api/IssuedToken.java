package dev.portier.gateway.api;

import java.time.Instant;

/**
 * A bearer token just issued. The token is a secret: {@link #toString()} leaves it out, so it cannot reach a
 * log line by accident; identify it by {@code jti}.
 */
public record IssuedToken(String token, String jti, String user, Instant issued, Instant expires) {
    @Override
    public String toString() {
        return "IssuedToken[jti=" + jti + ", user=" + user + ", expires=" + expires + "]";
    }
}
