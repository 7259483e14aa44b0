/**
 * Demo targets for {@code ./portier demo} and for tests: {@link dev.portier.gateway.demo.SimulatedRouter}, an SSH
 * server (MINA SSHD, loopback) that behaves like a small IOS-style router and, like real network gear, accepts
 * only password and keyboard-interactive logins.
 *
 * <p>Threading: MINA's I/O threads only hand channels over; each shell or exec channel runs its CLI on one
 * thread of the router's own pool, reading its input with blocking reads. A thread per session is fine for a
 * demo device (hundreds of sessions), not for the gateway itself. The CLI state belongs to that one thread.
 */
package dev.portier.gateway.demo;
