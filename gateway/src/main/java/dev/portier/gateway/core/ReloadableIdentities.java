package dev.portier.gateway.core;

import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The identity source, swappable when the configuration is reloaded. {@link #replace} returns the users that
 * are gone, so their access can be withdrawn (leavers).
 */
public final class ReloadableIdentities implements IdentityProvider {
    private final AtomicReference<IdentityProvider> current;

    public ReloadableIdentities(IdentityProvider initial) {
        this.current = new AtomicReference<>(initial);
    }

    /** @return the users the old source knew and the new one does not */
    public Set<String> replace(IdentityProvider next) {
        IdentityProvider old = current.getAndSet(next);
        Set<String> gone = new HashSet<>();
        old.all().forEach(i -> gone.add(i.user()));
        next.all().forEach(i -> gone.remove(i.user()));
        return gone;
    }

    @Override
    public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
        return current.get().authenticateByPublicKey(user, openSshPublicKey);
    }

    @Override
    public Optional<Identity> lookup(String user) {
        return current.get().lookup(user);
    }

    @Override
    public List<Identity> all() {
        return current.get().all();
    }
}
