/**
 * The portal's browser sign-in and pages: {@link dev.portier.gateway.portal.PortalRoute} runs Keycloak's
 * authorization code flow with PKCE ({@code /login}, {@code /callback}), keeps server-side sessions named by an
 * opaque cookie ({@link dev.portier.gateway.portal.PortalSessions}), ends them ({@code /logout}, leavers, timeouts)
 * and shows the signed-in person their access ({@code /portal/}).
 *
 * <p>Threading: the route answers from its own small worker pool (sign-in blocks on HTTP to Keycloak), never on the
 * Netty event loop; the session and sign-in stores are thread-safe.
 */
package dev.portier.gateway.portal;
