/**
 * Session recordings: {@link dev.portier.recorder.RecordingStore} creates one asciicast v2 file per session
 * channel under {@code <data>/recordings/} and lists, finds and exports them.
 * Threading: recorder methods run on SSH I/O threads and only append to a bounded in-memory buffer; one
 * daemon flusher thread per store writes and syncs the files. When a recording cannot be written the
 * recorder fails closed: its owner is told and every later call throws.
 */
package dev.portier.recorder;
