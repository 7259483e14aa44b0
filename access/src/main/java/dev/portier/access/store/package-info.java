/**
 * Durable state of requests, approvals and grants behind one interface; JDBC implementations (H2 embedded,
 * PostgreSQL for several nodes). Thread-safe; every change is version-checked. Calls block on the database:
 * make them from worker threads, never from a MINA or Netty I/O thread.
 */
package dev.portier.access.store;
