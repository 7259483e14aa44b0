package dev.portier.recorder.index;

/**
 * How much of a recording the index takes, so that one session printing gigabytes cannot blow up the index.
 *
 * @param maxLineChars    longer lines are cut into pieces of this many characters (a match across a cut is missed)
 * @param maxLinesPerKind per recording, commands and output lines each; lines beyond are not indexed and the
 *                        recording is marked truncated
 */
public record IndexLimits(int maxLineChars, int maxLinesPerKind) {
    public static final IndexLimits DEFAULTS = new IndexLimits(1000, 100_000);

    public IndexLimits {
        if (maxLineChars < 16 || maxLinesPerKind < 1) {
            throw new IllegalArgumentException("maxLineChars must be at least 16 and maxLinesPerKind positive");
        }
    }
}
