/**
 * File-transfer evidence: passive observers that read the SFTP (v3) and legacy SCP byte streams crossing
 * the proxy and report the file operations in them as {@link dev.portier.gateway.transfer.TransferEvent}s,
 * with per-file byte counts and SHA-256, without holding back, changing or copying the bytes.
 *
 * <p>Threading: an observer serializes its own calls, so the two directions may be fed from different
 * threads; the proxy must hand each chunk to the observer before forwarding it, so that a request is always
 * seen before its reply. Events reach the sink on the feeding thread.
 */
package dev.portier.gateway.transfer;
