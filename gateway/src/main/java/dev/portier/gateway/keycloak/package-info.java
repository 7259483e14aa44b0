/**
 * Keycloak as an identity source beside the local users: {@link dev.portier.gateway.keycloak.KeycloakTokenValidator}
 * checks Keycloak's JWTs against each trusted realm's signing keys ({@link dev.portier.gateway.keycloak.RealmKeys}),
 * {@link dev.portier.gateway.keycloak.KeycloakNames} and {@link dev.portier.gateway.keycloak.IdentityMapper} turn a
 * Keycloak user into a Portier identity, and {@link dev.portier.gateway.keycloak.KeycloakDirectory} reads users
 * through the admin API. For SSH login, {@link dev.portier.gateway.keycloak.KeycloakLogins} tells which user a login
 * name means, {@link dev.portier.gateway.keycloak.KeycloakSshKeys} caches the keys users registered, and
 * {@link dev.portier.gateway.keycloak.DeviceLogin} runs the device authorization grant
 * ({@link dev.portier.gateway.keycloak.DeviceAuthorization}). {@link dev.portier.gateway.keycloak.KeycloakCodeFlow}
 * is the portal's browser sign-in and {@link dev.portier.gateway.keycloak.LeaverWatch} cuts off people who left.
 * {@link dev.portier.gateway.keycloak.KeycloakIntegration} builds them from the configuration.
 *
 * <p>Threading: everything here is thread-safe. Validation and directory look-ups may block on HTTP to Keycloak
 * (answers are cached), so they run on worker threads, never on an SSH or Netty I/O thread; the device grant's HTTP
 * calls are asynchronous and its polls are spaced by a timer; the leaver watch polls on a thread of its own.
 */
package dev.portier.gateway.keycloak;
