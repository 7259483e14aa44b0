/**
 * Segregation of duties: one small {@link dev.portier.access.sod.SodRule} per rule, and the
 * {@link dev.portier.access.sod.SodEngine} that runs them at each checkpoint (login, request, approval, session
 * start). Every refusal is a {@link dev.portier.access.sod.Violation} naming its rule. Everything here is
 * immutable and pure (no I/O, no clock of its own), so any thread may call it concurrently.
 */
package dev.portier.access.sod;
