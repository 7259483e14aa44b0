package dev.portier.gateway.keycloak;

import dev.portier.config.SecretRef;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.util.Map;

/** Reads a {@link SecretRef} of the configuration: an environment variable, or a password kept in the vault. */
final class SecretResolver {
    private SecretResolver() {
    }

    /** @throws KeycloakException naming where the secret should be (never a value) when it is not there */
    static String resolve(SecretRef ref, Map<String, String> env, Vault vault, String what) throws KeycloakException {
        if (ref.kind() == SecretRef.Kind.ENV) {
            String value = env.get(ref.name());
            if (value == null || value.isEmpty()) {
                throw new KeycloakException("environment variable " + ref.name() + " is not set; " + what + " needs it");
            }
            return value;
        }
        String[] parts = ref.name().split("/", 2);
        try {
            if (vault.credential(parts[0], parts[1]) instanceof Credential.Password p) {
                return p.password();
            }
            throw new KeycloakException(ref + " is not a password; store it with: ./portier vault put " + ref.name()
                    + " --password-stdin");
        } catch (VaultException e) {
            throw new KeycloakException("cannot read " + ref + " for " + what + ": " + e.getMessage(), e);
        }
    }
}
