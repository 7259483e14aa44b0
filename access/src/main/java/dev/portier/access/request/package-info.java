/**
 * Access requests and their approvals: immutable records; the lifecycle is driven by the access service and
 * persisted through {@link dev.portier.access.store.AccessStore}.
 */
package dev.portier.access.request;
