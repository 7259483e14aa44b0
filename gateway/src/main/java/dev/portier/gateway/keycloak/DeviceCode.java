package dev.portier.gateway.keycloak;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A device authorization the realm granted (RFC 8628 section 3.2): what the person needs to sign in, and what Portier
 * polls with. {@code deviceCode} and {@code codeVerifier} are secrets: {@link #toString()} leaves them out.
 *
 * @param codeVerifier            the PKCE verifier (RFC 7636) whose S256 challenge went with the request
 * @param userCode                the code the person confirms in the browser
 * @param verificationUri         where to sign in and type the code
 * @param verificationUriComplete the same with the code filled in
 * @param interval                how long to wait between two polls
 * @param expires                 when the codes stop working
 */
public record DeviceCode(String realm, String deviceCode, String codeVerifier, String userCode, URI verificationUri,
        URI verificationUriComplete, Duration interval, Instant expires) {
    @Override
    public String toString() {
        return "DeviceCode[realm=" + realm + ", userCode=" + userCode + ", expires=" + expires + "]";
    }
}
