package dev.portier.gateway.keycloak;

import dev.portier.access.grant.Grant;
import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.service.DefaultAccessService;
import dev.portier.access.store.AccessStore;
import dev.portier.access.store.StoreException;
import dev.portier.config.PolicyConfig;
import dev.portier.gateway.core.Auditor;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts off Keycloak users who left: every {@code identity.keycloak.leavers.pollInterval} it looks up, fresh from the
 * directory, each Keycloak user who holds something (an active grant, a pending request, an approval on a pending
 * request, a live SSH or portal session) and
 * <ul>
 * <li>a user disabled, deleted, or replaced by another account of the same name loses everything through
 * {@link DefaultAccessService#identityRemoved}, with the cause in the audit event; their cached identity is dropped
 * first, so they cannot sign in again meanwhile;</li>
 * <li>a user whose teams or roles changed loses each grant and pending request whose policy no longer admits them
 * ("removed from group netops, which grant g-... relied on"); what other policies still cover stays.</li>
 * </ul>
 * Only holders are asked, so the cost follows the work in flight, not the size of the realms.
 *
 * <p>When Keycloak cannot answer, nobody is cut off (an outage of the identity provider must not end everyone's
 * work); the detection is stale, which is logged at every poll and audited once ({@code identity.watch.stale}) until
 * Keycloak answers again ({@code identity.watch.restored}). New sign-ins still fail closed meanwhile: a user Keycloak
 * cannot confirm gets no identity. One thread; {@link #poll} is not reentrant.
 */
public final class LeaverWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaverWatch.class);
    /** Holders looked at per poll, at most; more would make one poll outlast the minute. */
    static final int MAX_HOLDERS = 2000;

    private final KeycloakIntegration keycloak;
    private final DefaultAccessService access;
    private final AccessStore store;
    private final Supplier<Collection<String>> sessionUsers;
    private final Predicate<String> localUser;
    private final Auditor audit;
    private final ScheduledExecutorService timer;
    /** The Keycloak id and teams each holder had at the last poll: tells a replaced account and the group lost. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Set<String> staleRealms = ConcurrentHashMap.newKeySet();

    private record Seen(String id, Set<String> teams, Set<String> roles) {
    }

    /**
     * @param sessionUsers the users of live SSH and portal sessions now
     * @param localUser    true for names of local users: theirs is the configuration, not Keycloak
     */
    public LeaverWatch(KeycloakIntegration keycloak, DefaultAccessService access, AccessStore store,
            Supplier<Collection<String>> sessionUsers, Predicate<String> localUser, Auditor audit) {
        this.keycloak = keycloak;
        this.access = access;
        this.store = store;
        this.sessionUsers = sessionUsers;
        this.localUser = localUser;
        this.audit = audit;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portier-leavers");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls every {@code identity.keycloak.leavers.pollInterval}, the first time after one interval. */
    public void start() {
        long ms = keycloak.config().leavers().pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One pass over the holders. Never throws: a failure is logged and the next poll tries again. */
    void poll() {
        try {
            Set<String> holders = holders();
            Set<String> failed = new HashSet<>();
            for (String name : holders) {
                Optional<KeycloakNames.RealmUser> who = keycloak.mapper().names().parse(name);
                if (who.isEmpty() || localUser.test(name) || failed.contains(who.get().realm())) {
                    continue;
                }
                try {
                    check(name, who.get());
                } catch (KeycloakException e) {
                    failed.add(who.get().realm());
                    stale(who.get().realm(), e);
                }
            }
            for (String realm : Set.copyOf(staleRealms)) {
                if (!failed.contains(realm) && staleRealms.remove(realm)) {
                    LOG.info("Keycloak realm {} answers again; leaver detection is current", realm);
                    audit.record("identity.watch.restored", "portier", null, null, null, "Keycloak realm " + realm
                            + " answers again; leavers are detected again", Map.of("realm", realm));
                }
            }
            seen.keySet().retainAll(holders);
        } catch (RuntimeException e) {
            LOG.error("leaver detection failed; retrying at the next poll", e);
        }
    }

    private void check(String name, KeycloakNames.RealmUser who) throws KeycloakException {
        Optional<DirectoryUser> now = keycloak.directory().user(who.realm(), who.username());
        Seen before = seen.get(name);
        String cause = null;
        if (now.isEmpty()) {
            cause = "deleted in Keycloak realm " + who.realm();
        } else if (!now.get().enabled()) {
            cause = "disabled in Keycloak realm " + who.realm();
        } else if (before != null && !before.id().equals(now.get().id())) {
            cause = "deleted in Keycloak realm " + who.realm() + " (another account now has the name)";
        }
        if (cause != null) {
            leave(name, who, cause);
            return;
        }
        DirectoryUser u = now.get();
        Identity identity;
        try {
            identity = keycloak.mapper().identity(u.realm(), u.username(), u.groups(), u.realmRoles(), u.clientRoles());
        } catch (IllegalArgumentException e) {
            leave(name, who, e.getMessage());
            return;
        }
        seen.put(name, new Seen(u.id(), identity.teams(), identity.roles()));
        if (before == null || !before.teams().equals(identity.teams()) || !before.roles().equals(identity.roles())) {
            // The cached identity would keep the old teams for its TTL: new decisions must see the change now.
            keycloak.identities().invalidate(who.realm(), who.username());
            List<String> ended = access.basisLost(identity, (policy, id) -> lostBasis(who.realm(), before, identity,
                    policy, id));
            if (!ended.isEmpty()) {
                LOG.info("{}: ended {} after their groups or roles changed in Keycloak", name, ended);
            }
        }
    }

    private void leave(String name, KeycloakNames.RealmUser who, String cause) {
        LOG.warn("{} left: {}; withdrawing their access", name, cause);
        keycloak.identities().invalidate(who.realm(), who.username());
        // Keys are cached per login spelling (plain or qualified): drop them all, leavers are rare.
        keycloak.sshKeys().invalidateAll();
        seen.remove(name);
        access.identityRemoved(name, cause);
    }

    /** "removed from group netops in Keycloak realm employees, which grant g-1a2b relied on". */
    static String lostBasis(String realm, Seen before, Identity now, PolicyConfig policy, String id) {
        String what = (id.startsWith("g-") ? "grant " : "request ") + id;
        Set<String> groups = lost(policy.subjects().teams(), before == null ? null : before.teams(), now.teams());
        if (!groups.isEmpty()) {
            return "removed from group " + String.join(", ", groups) + " in Keycloak realm " + realm + ", which " + what
                    + " relied on";
        }
        Set<String> roles = lost(policy.subjects().roles(), before == null ? null : before.roles(), now.roles());
        if (!roles.isEmpty()) {
            return "lost role " + String.join(", ", roles) + " in Keycloak realm " + realm + ", which " + what
                    + " relied on";
        }
        return "no longer matches policy " + policy.name() + " (Keycloak realm " + realm + "), which " + what
                + " relied on";
    }

    /** What the policy names that the user had (when known) and has no more. */
    private static Set<String> lost(List<String> named, Set<String> had, Set<String> has) {
        Set<String> out = new TreeSet<>();
        for (String n : named) {
            if (!has.contains(n) && (had == null || had.contains(n))) {
                out.add(n);
            }
        }
        return out;
    }

    private void stale(String realm, KeycloakException e) {
        LOG.warn("cannot check leavers of Keycloak realm {}: {}; nobody is cut off until it answers", realm,
                e.getMessage());
        if (staleRealms.add(realm)) {
            audit.record("identity.watch.stale", "portier", null, null, null, "cannot ask Keycloak realm " + realm
                    + " about leavers (" + e.getMessage() + "); live access continues, new sign-ins are refused",
                    Map.of("realm", realm));
        }
    }

    /** Everyone who holds something now, as Portier names them. */
    private Set<String> holders() {
        Set<String> out = new HashSet<>(sessionUsers.get());
        try {
            for (Grant g : store.grants(null, true, MAX_HOLDERS)) {
                out.add(g.user());
            }
            for (AccessRequest r : store.requests(null, RequestState.PENDING, MAX_HOLDERS)) {
                out.add(r.requester());
                r.approvals().stream().map(Approval::approver).forEach(out::add);
            }
        } catch (StoreException e) {
            LOG.error("cannot list who holds access for leaver detection: {}", e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
