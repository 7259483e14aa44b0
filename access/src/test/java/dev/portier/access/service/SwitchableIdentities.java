package dev.portier.access.service;

import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.identity.LocalIdentityProvider;
import dev.portier.config.PortierConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configured local users, replaceable as on a configuration reload (the gateway does the same). With
 * {@link #ignoringCase()} a lookup ignores case, as an external identity source such as Keycloak does: then a
 * stored name {@code Alice} resolves to alice, which is what the case-variant attacks need to be meaningful.
 */
final class SwitchableIdentities implements IdentityProvider {
    private volatile LocalIdentityProvider delegate;
    private volatile boolean ignoreCase;

    SwitchableIdentities(PortierConfig config) {
        this.delegate = new LocalIdentityProvider(config.identity());
    }

    void reload(PortierConfig config) {
        delegate = new LocalIdentityProvider(config.identity());
    }

    SwitchableIdentities ignoringCase() {
        ignoreCase = true;
        return this;
    }

    @Override
    public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
        return delegate.authenticateByPublicKey(user, openSshPublicKey);
    }

    @Override
    public Optional<Identity> lookup(String user) {
        if (!ignoreCase || user == null) {
            return delegate.lookup(user);
        }
        String wanted = user.toLowerCase(Locale.ROOT);
        return delegate.all().stream().filter(i -> i.user().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    @Override
    public List<Identity> all() {
        return delegate.all();
    }
}
