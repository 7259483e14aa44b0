package dev.portier.bench.access;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.store.AccessStore;
import dev.portier.access.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fix measured beside the plain JDBC store, without touching production code: the same store with an
 * in-memory index of what a session start reads (each user's ACTIVE grants and PENDING requests), loaded once
 * and reloaded for a user after every write through this store that concerns them. Reads that the index
 * answers never reach the database; every other call goes straight through.
 *
 * <p>Correct for one gateway node, where every write passes here. Several nodes sharing PostgreSQL would also
 * need to hear of the others' writes (LISTEN/NOTIFY, or a version check before trusting an entry); this
 * variant does not do that. Reloads of one user are serialised, so the last one always reads after the last
 * write committed; reads take no lock.
 */
final class IndexedAccessStore implements AccessStore {
    private static final int ALL = Integer.MAX_VALUE;
    private static final Holdings NOTHING = new Holdings(List.of(), Map.of(), List.of());
    private static final Comparator<Grant> EARLIEST_FIRST =
            Comparator.comparing(Grant::start).thenComparing(Grant::id);

    private record Key(String target, String account) {
    }

    /**
     * @param active  ACTIVE grants, newest start first (as {@link AccessStore#grants})
     * @param byKey   the same by target and account, earliest start first (as {@link AccessStore#activeGrants})
     * @param pending PENDING requests, newest first (as {@link AccessStore#requests})
     */
    private record Holdings(List<Grant> active, Map<Key, List<Grant>> byKey, List<AccessRequest> pending) {
    }

    private final AccessStore db;
    private final Map<String, Holdings> byUser = new ConcurrentHashMap<>();

    IndexedAccessStore(AccessStore db) throws StoreException {
        this.db = db;
        reloadAll();
    }

    @Override
    public List<Grant> activeGrants(String user, String target, String account, Instant now) {
        List<Grant> candidates = holdings(user).byKey().getOrDefault(new Key(target, account), List.of());
        List<Grant> out = new ArrayList<>(candidates.size());
        for (Grant g : candidates) {
            if (g.activeAt(now)) {
                out.add(g);
            }
        }
        return out;
    }

    @Override
    public List<Grant> grants(String user, boolean activeOnly, int limit) throws StoreException {
        if (user == null || !activeOnly) {
            return db.grants(user, activeOnly, limit);
        }
        List<Grant> active = holdings(user).active();
        return active.size() <= limit ? active : active.subList(0, limit);
    }

    @Override
    public List<AccessRequest> requests(String requester, RequestState state, int limit) throws StoreException {
        if (requester == null || state != RequestState.PENDING) {
            return db.requests(requester, state, limit);
        }
        List<AccessRequest> pending = holdings(requester).pending();
        return pending.size() <= limit ? pending : pending.subList(0, limit);
    }

    @Override
    public void insertRequest(AccessRequest request) throws StoreException {
        db.insertRequest(request);
        reload(request.requester());
    }

    @Override
    public Optional<AccessRequest> request(String id) throws StoreException {
        return db.request(id);
    }

    @Override
    public boolean addApproval(String requestId, Approval approval, long expectedVersion) throws StoreException {
        boolean added = db.addApproval(requestId, approval, expectedVersion);
        if (added) {
            // The pending request's approvals and version changed.
            Optional<AccessRequest> r = db.request(requestId);
            if (r.isPresent()) {
                reload(r.get().requester());
            }
        }
        return added;
    }

    @Override
    public boolean decide(AccessRequest decided, long expectedVersion, Grant grant) throws StoreException {
        boolean done = db.decide(decided, expectedVersion, grant);
        reload(decided.requester());
        return done;
    }

    @Override
    public void insertGrant(Grant grant) throws StoreException {
        db.insertGrant(grant);
        reload(grant.user());
    }

    @Override
    public Optional<Grant> grant(String id) throws StoreException {
        return db.grant(id);
    }

    @Override
    public boolean updateGrant(Grant updated, long expectedVersion) throws StoreException {
        boolean done = db.updateGrant(updated, expectedVersion);
        reload(updated.user());
        return done;
    }

    @Override
    public List<AccessRequest> expiredPending(Instant now) throws StoreException {
        return db.expiredPending(now);
    }

    @Override
    public List<Grant> endedActive(Instant now) throws StoreException {
        return db.endedActive(now);
    }

    @Override
    public int removePendingApprovals(String approver) throws StoreException {
        int removed = db.removePendingApprovals(approver);
        reloadAll();
        return removed;
    }

    @Override
    public void close() {
        db.close();
    }

    private Holdings holdings(String user) {
        return byUser.getOrDefault(user, NOTHING);
    }

    private synchronized void reload(String user) throws StoreException {
        Holdings h = holdings(db.grants(user, true, ALL), db.requests(user, RequestState.PENDING, ALL));
        if (h.active().isEmpty() && h.pending().isEmpty()) {
            byUser.remove(user);
        } else {
            byUser.put(user, h);
        }
    }

    private synchronized void reloadAll() throws StoreException {
        Map<String, List<Grant>> grants = new HashMap<>();
        for (Grant g : db.grants(null, true, ALL)) {
            grants.computeIfAbsent(g.user(), u -> new ArrayList<>()).add(g);
        }
        Map<String, List<AccessRequest>> pending = new HashMap<>();
        for (AccessRequest r : db.requests(null, RequestState.PENDING, ALL)) {
            pending.computeIfAbsent(r.requester(), u -> new ArrayList<>()).add(r);
        }
        Set<String> users = new HashSet<>(grants.keySet());
        users.addAll(pending.keySet());
        byUser.keySet().retainAll(users);
        for (String user : users) {
            byUser.put(user, holdings(grants.getOrDefault(user, List.of()), pending.getOrDefault(user, List.of())));
        }
    }

    private static Holdings holdings(List<Grant> active, List<AccessRequest> pending) {
        Map<Key, List<Grant>> byKey = new HashMap<>();
        for (Grant g : active) {
            byKey.computeIfAbsent(new Key(g.target(), g.account()), k -> new ArrayList<>()).add(g);
        }
        Map<Key, List<Grant>> sorted = new HashMap<>();
        byKey.forEach((k, gs) -> {
            gs.sort(EARLIEST_FIRST);
            sorted.put(k, List.copyOf(gs));
        });
        return new Holdings(List.copyOf(active), Map.copyOf(sorted), List.copyOf(pending));
    }
}
