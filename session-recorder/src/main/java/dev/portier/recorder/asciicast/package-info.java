/**
 * The asciicast v2 format (https://docs.asciinema.org/manual/asciicast/v2/): the header line, event lines,
 * streaming UTF-8 validation and JSON escaping of terminal bytes, and export to a plain file that
 * {@code asciinema} plays.
 * Threading: stateless helpers, except {@link dev.portier.recorder.asciicast.Utf8JsonEscaper}, which
 * belongs to one stream and is used under its owner's lock.
 */
package dev.portier.recorder.asciicast;
