package dev.portier.gateway.keycloak;

import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Local users and Keycloak users side by side. A local user wins a plain name (the configuration is explicit);
 * {@link IdentityMapper} refuses the home-realm Keycloak user of that name, so one name never means two people.
 */
public final class CombinedIdentities implements IdentityProvider {
    private final IdentityProvider local;
    private final KeycloakIdentities keycloak;

    public CombinedIdentities(IdentityProvider local, KeycloakIdentities keycloak) {
        this.local = local;
        this.keycloak = keycloak;
    }

    @Override
    public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
        Optional<Identity> who = local.authenticateByPublicKey(user, openSshPublicKey);
        return who.isPresent() ? who : keycloak.authenticateByPublicKey(user, openSshPublicKey);
    }

    @Override
    public Optional<Identity> lookup(String user) {
        Optional<Identity> who = local.lookup(user);
        return who.isPresent() ? who : keycloak.lookup(user);
    }

    @Override
    public List<Identity> all() {
        List<Identity> out = new ArrayList<>(local.all());
        out.addAll(keycloak.all());
        return out;
    }
}
