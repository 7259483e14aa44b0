package dev.portier.vault;

/**
 * A secret Portier uses to log in to a target. Never printed: {@code toString()} redacts.
 */
public sealed interface Credential permits Credential.Password, Credential.PrivateKey {

    /** The kind name shown by {@code vault list}: {@code password} or {@code private-key}. */
    String kind();

    /** A password (also answers keyboard-interactive password prompts). */
    record Password(String password) implements Credential {
        @Override
        public String kind() {
            return "password";
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /** An OpenSSH or PEM private key file's text, unencrypted. */
    record PrivateKey(String pem) implements Credential {
        @Override
        public String kind() {
            return "private-key";
        }

        @Override
        public String toString() {
            return "PrivateKey[***]";
        }
    }
}
