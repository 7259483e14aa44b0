/**
 * The SSH front: MINA SSHD server hardened in one place, public-key login against the identity source (local keys,
 * and keys registered in Keycloak, read before MINA checks a key), device sign-in with Keycloak inside
 * keyboard-interactive (answered asynchronously), the username grammar, Portier's own commands and menu, and the broker that turns a channel request into a
 * recorded bridge. Runs on MINA's I/O threads plus a small worker pool for vault reads and upstream connects
 * (Keycloak look-ups run on the Keycloak integration's own pool); nothing here blocks an I/O thread on the network.
 */
package dev.portier.gateway.ssh;
