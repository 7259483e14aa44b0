/**
 * JMH benchmark of the access decision a session start waits for (policy match, SoD rules, grant lookup) on a
 * synthetic estate of 1,000 targets, 200 policies and 10,000 active grants. Single-threaded set-up; the
 * benchmark methods are called by JMH threads and share only immutable state and the thread-safe service.
 */
package dev.portier.bench.access;
