/**
 * The byte pumps between a user's channel and a target's channel, with explicit back-pressure both ways
 * (see docs/ssh-relay.md), and the shared upstream SSH client with pinned host keys. No thread of its own:
 * everything runs in MINA's I/O completion callbacks, one write in flight per stream.
 */
package dev.portier.gateway.ssh.relay;
