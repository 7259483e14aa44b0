package dev.portier.gateway.keycloak;

/**
 * Keycloak could not be asked (unreachable, refused Portier's service account, answered nonsense). Distinct from a
 * refused token: the caller cannot tell who the user is, so it fails closed and says to try again later.
 */
public final class KeycloakException extends Exception {
    public KeycloakException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeycloakException(String message) {
        super(message);
    }
}
