package dev.portier.access.service;

import dev.portier.access.grant.Grant;
import dev.portier.access.identity.Identity;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.request.AccessRequest;
import java.util.List;

/**
 * Time-boxed access: requests, approvals, grants, and the decision a session start needs. Every method
 * decides, audits and explains; fronts (SSH commands, REST) only translate. Thread-safe; methods may touch
 * the database, so fronts call them off I/O threads.
 */
public interface AccessService {

    /** Files a request (or, with break-glass on a policy that allows it, grants at once). */
    RequestResult request(Identity requester, RequestSpec spec) throws AccessException;

    /** One approval by {@code approver}; grants when the policy's approval rule is satisfied. */
    AccessRequest approve(Identity approver, String requestId, String comment) throws AccessException;

    AccessRequest deny(Identity approver, String requestId, String comment) throws AccessException;

    /** The requester withdraws a pending request. */
    AccessRequest cancel(Identity requester, String requestId) throws AccessException;

    /** Ends a grant now; live sessions under it are closed by the listeners. */
    Grant revoke(Identity actor, String grantId, String reason) throws AccessException;

    /** The post-hoc review of a break-glass grant by an approver. */
    Grant review(Identity reviewer, String grantId, String comment) throws AccessException;

    /** Requests the viewer may see: their own, and those they could approve. */
    List<AccessRequest> requests(Identity viewer, boolean pendingOnly) throws AccessException;

    /** The one request, if the viewer may see it. */
    AccessRequest request(Identity viewer, String requestId) throws AccessException;

    /** Grants the viewer may see (their own; all for approvers and auditors), newest first. */
    List<Grant> grants(Identity viewer, boolean activeOnly) throws AccessException;

    /** Break-glass grants not reviewed within 24 hours. */
    List<Grant> overdueReviews() throws AccessException;

    /** The people who could still approve {@code request} (never the requester). */
    List<String> eligibleApprovers(AccessRequest request) throws AccessException;

    /** May this session start now? Standing policy, or an active grant, and the SoD session-start checks. */
    SessionAuthorization authorizeSession(Identity who, String target, String account, ChannelKind channel)
            throws AccessException;

    /**
     * A session started under {@code grant}: single-use grants end here. Throws {@code grant-used} when a
     * single-use grant was already spent (two sessions authorized at once): the caller must end this session.
     */
    void sessionStarted(Grant grant, String sessionId) throws AccessException;

    void addListener(GrantListener listener);

    /** Why this identity may not log in at all (SoD role conflicts), if so; checked at every login. */
    java.util.Optional<String> loginRefusal(Identity who);
}
