/**
 * Fixtures for end-to-end tests against real OpenSSH: a throwaway {@link dev.portier.testsupport.OpenSshServer}
 * on a loopback port, the stock clients through {@link dev.portier.testsupport.OpenSshClient}, key pairs from
 * {@code ssh-keygen} ({@link dev.portier.testsupport.Keys}) and a terminal driven through tmux
 * ({@link dev.portier.testsupport.Pty}), a real rsyslog receiver ({@link dev.portier.testsupport.Rsyslog}), and a real S3 server
 * ({@link dev.portier.testsupport.S3Server}, s3proxy in the test JVM).
 *
 * <p>Threading: every fixture is meant for one test thread; each call blocks until its process finished or
 * timed out. Nothing here is shared between instances, so tests may run in parallel.
 */
package dev.portier.testsupport;
