/**
 * Reading a recording back as events: {@link dev.portier.recorder.events.RecordingEvents} is the one place
 * where the index and the replay read recordings, always through the store's plain asciicast v2 export (so
 * whatever the store does at rest, such as encryption or remote storage, stays behind that export).
 * Threading: a read runs on the caller's thread and calls the handler there, one event at a time.
 */
package dev.portier.recorder.events;
