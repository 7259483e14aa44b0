/**
 * Recording overhead and verify speed, in process: the same output fed through the session recorder as the SSH
 * relay feeds it (32 KiB chunks, reading on only when {@code whenWritable} says so), with no recorder, a plain
 * recorder and an encrypting recorder; then {@code RecordingVerifier} and the decrypting reader over the
 * recordings made. One producer thread, as one session; the recorder's own writer and sync threads do the rest.
 */
package dev.portier.bench.recording;
