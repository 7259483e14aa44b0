package dev.portier.access.store;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable state of requests, approvals and grants. Implementations are thread-safe and safe across several
 * gateway nodes sharing one database: every change is conditional on the version read (optimistic
 * concurrency), and one person can approve a request only once (a unique constraint, not a check in code).
 */
public interface AccessStore extends AutoCloseable {

    void insertRequest(AccessRequest request) throws StoreException;

    /** The request with its approvals, or empty. */
    Optional<AccessRequest> request(String id) throws StoreException;

    /**
     * @param requester null for everyone's
     * @param state     null for every state
     * @return newest first, at most {@code limit}
     */
    List<AccessRequest> requests(String requester, RequestState state, int limit) throws StoreException;

    /**
     * Records one approval. False when that person already approved this request, or the request is no
     * longer pending at {@code expectedVersion}. Bumps the request's version.
     */
    boolean addApproval(String requestId, Approval approval, long expectedVersion) throws StoreException;

    /**
     * Moves a pending request to a final state, atomically with inserting {@code grant} (null when the new
     * state grants nothing). False, and nothing changed, when the stored version is not
     * {@code expectedVersion} or the request is no longer pending.
     */
    boolean decide(AccessRequest decided, long expectedVersion, Grant grant) throws StoreException;

    /** Inserts a grant that no request decision produced (break-glass). */
    void insertGrant(Grant grant) throws StoreException;

    Optional<Grant> grant(String id) throws StoreException;

    /** @param user null for everyone's; @param activeOnly only state ACTIVE */
    List<Grant> grants(String user, boolean activeOnly, int limit) throws StoreException;

    /** Grants ACTIVE and within their window at {@code now} for this user, target and account. */
    List<Grant> activeGrants(String user, String target, String account, Instant now) throws StoreException;

    /** Replaces a grant (state change, review) if the stored version is {@code expectedVersion}. */
    boolean updateGrant(Grant updated, long expectedVersion) throws StoreException;

    /** Pending requests whose {@code expires} is at or before {@code now}: a request is pending until its expiry. */
    List<AccessRequest> expiredPending(Instant now) throws StoreException;

    /** ACTIVE grants whose end is at or before {@code now}: the window is [start, end), as {@link Grant#activeAt}. */
    List<Grant> endedActive(Instant now) throws StoreException;

    /**
     * Withdraws every approval {@code approver} gave on requests still pending (the approver left).
     *
     * @return how many were withdrawn
     */
    int removePendingApprovals(String approver) throws StoreException;

    @Override
    void close();
}
