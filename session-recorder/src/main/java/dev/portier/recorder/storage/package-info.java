/**
 * Where closed recordings are kept ({@code docs/storage.md}): the recordings directory alone
 * ({@link dev.portier.recorder.storage.RecordingStorage#local}), or that directory as a spool in front of an
 * S3-compatible object store ({@link dev.portier.recorder.storage.SpooledStorage}); legal holds and the retention
 * sweeper. Threading: recorders never wait on the object store. One daemon thread per spooled store uploads
 * closed recordings with retries and backoff; reads restore a recording's files on the caller's thread, which is
 * never an SSH I/O thread (command pool, CLI); the sweeper runs on the gateway's scheduler.
 */
package dev.portier.recorder.storage;
