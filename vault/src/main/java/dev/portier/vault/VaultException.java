package dev.portier.vault;

/** An expected vault failure; the message is safe to show (it never holds a secret). */
public final class VaultException extends Exception {
    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
