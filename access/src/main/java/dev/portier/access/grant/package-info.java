/**
 * Grants: time-boxed access produced by an approved or break-glass request. Immutable records; thread-safe.
 */
package dev.portier.access.grant;
