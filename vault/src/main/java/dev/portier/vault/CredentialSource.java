package dev.portier.vault;

/** Where the gateway gets target credentials from; the front never reads the store itself. */
public interface CredentialSource {
    /**
     * @return the credential for {@code target/account}
     * @throws VaultException if there is none or it cannot be decrypted (the session must then fail closed)
     */
    Credential credential(String target, String account) throws VaultException;
}
