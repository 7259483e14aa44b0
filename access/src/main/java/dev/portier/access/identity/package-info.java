/**
 * Who a user is: {@link dev.portier.access.identity.Identity} and the providers that authenticate users
 * (local config now, Keycloak later). Providers are immutable or internally synchronized, so any thread may
 * call them; the SSH front calls them during authentication and they never block on I/O.
 */
package dev.portier.access.identity;
