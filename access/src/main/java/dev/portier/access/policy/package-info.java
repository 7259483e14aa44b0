/**
 * Access decisions: the inventory, the compiled policies and the {@link dev.portier.access.policy.Decision}
 * with its explanation. Everything here is immutable once built; any thread may call
 * {@link dev.portier.access.policy.PolicyEngine#decide} concurrently, and a decision never does I/O.
 */
package dev.portier.access.policy;
