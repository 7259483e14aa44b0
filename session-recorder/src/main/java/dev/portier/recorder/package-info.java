/**
 * Session recordings: {@link dev.portier.recorder.RecordingStore} creates one asciicast v2 recording per session
 * channel under {@code <data>/recordings/}, encrypted at rest ({@code recorder.crypt}) and chained for tamper
 * evidence ({@code recorder.seal}), and lists, finds, decrypts and exports them.
 * Threading: recorder methods run on SSH I/O threads and only append to a bounded in-memory buffer; two
 * daemon threads per store, whatever the number of sessions, write the files and sync them to disk.
 * Bridges pace bulk output with {@code whenWritable}. When a recording cannot be written the recorder
 * fails closed: its owner is told and every later call throws.
 */
package dev.portier.recorder;
