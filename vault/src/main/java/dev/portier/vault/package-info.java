/**
 * Target credentials, encrypted at rest: {@link dev.portier.vault.Vault} keeps one AES-256-GCM envelope
 * per {@code target/account} under {@code <data>/vault/}, wrapped by the master key.
 * Threading: a {@code Vault} holds no mutable state; every call is safe from any thread, and writes are
 * atomic file replacements, so the CLI and a running gateway may share one data directory.
 */
package dev.portier.vault;
