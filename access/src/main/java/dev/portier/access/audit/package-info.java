/**
 * The audit trail: {@link dev.portier.access.audit.AuditEvent}s appended to a hash-chained JSON-lines file
 * that can be verified offline. Sinks are thread-safe ({@code record} is synchronized); one background thread
 * per open log batches fsyncs.
 */
package dev.portier.access.audit;
