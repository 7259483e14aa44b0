package dev.portier.vault;

import java.time.Instant;

/**
 * One line of {@code portier vault list}: what is stored, never the secret.
 *
 * @param kind    {@code password}, {@code private-key}, or {@code unreadable} for a file that cannot be parsed
 * @param updated when the secret was last written; null if the file is unreadable
 */
public record VaultEntry(String target, String account, String kind, Instant updated) {
}
