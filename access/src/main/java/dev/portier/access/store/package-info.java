/**
 * Durable state of requests, approvals and grants behind one interface; JDBC implementations (H2 embedded,
 * PostgreSQL for several nodes). Thread-safe; every change is version-checked.
 */
package dev.portier.access.store;
