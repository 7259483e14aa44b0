/**
 * Approval rules of time-boxed access: who may approve a request ({@link dev.portier.access.approval.ApprovalRule}:
 * approver groups, distinct people, the restricted-target floor), how far a request has come
 * ({@link dev.portier.access.approval.ApprovalProgress}), and how long a grant may last
 * ({@link dev.portier.access.approval.GrantLimits}). Immutable and pure: any thread may call them.
 */
package dev.portier.access.approval;
