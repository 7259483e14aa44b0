/**
 * A real Keycloak for tests: {@link dev.portier.testsupport.keycloak.Keycloak} starts the official distribution
 * once per test JVM with the realms of the class path, {@link dev.portier.testsupport.keycloak.KeycloakTokens}
 * asks it for tokens as clients do, {@link dev.portier.testsupport.keycloak.Browser} signs in as a person at a
 * browser would (device flow), and {@link dev.portier.testsupport.keycloak.Totp} computes the one-time codes of the
 * test users. Thread-safe; the server is shared by every test of the JVM.
 */
package dev.portier.testsupport.keycloak;
