/**
 * The search index of recordings: the lines users typed at a prompt and the text targets printed, with who,
 * where and when. {@link dev.portier.recorder.index.RecordingIndex} is the seam (one Lucene directory per
 * gateway today, a shared service for several nodes later); {@link dev.portier.recorder.index.RecordingIndexer}
 * feeds it from the store's plain export, on one background thread, when a recording closes and at start-up.
 * Search is a case-insensitive substring match backed by a gram field ({@code docs/search.md}); the index is blind
 * ({@link dev.portier.recorder.index.IndexKey}): grams are keyed hashes and lines are encrypted, so it holds no
 * session content in the clear.
 */
package dev.portier.recorder.index;
