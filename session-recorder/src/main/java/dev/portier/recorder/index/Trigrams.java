package dev.portier.recorder.index;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The grams behind substring search. A line is indexed as the set of its distinct three-character pieces
 * (after case folding), plus an end marker so that a two-character text at the very end of a line still
 * starts a gram: then every text of at least two characters that occurs in a line is a gram of it or the
 * prefix of one. The grams only find candidates; the stored line decides (see {@link #contains}).
 */
final class Trigrams {
    static final int N = 3;
    /** Never part of a line (lines are split on it), so it cannot make a false gram. */
    static final int END = '\n';

    private Trigrams() {
    }

    /**
     * Case folding one code point at a time (so lengths and positions do not move), the same for lines and
     * texts; {@code String.toLowerCase} may change the length (e.g. a dotted capital I).
     */
    static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.toLowerCase(c)));
        return out.toString();
    }

    /** The grams to index for a folded line. */
    static Set<String> ofLine(String folded) {
        int[] cps = (folded + (char) END).codePoints().toArray();
        return grams(cps);
    }

    /** The grams every line containing the folded {@code text} has; empty when the text is shorter than a gram. */
    static Set<String> ofText(String folded) {
        return grams(folded.codePoints().toArray());
    }

    private static Set<String> grams(int[] cps) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i + N <= cps.length; i++) {
            out.add(new String(cps, i, N));
        }
        return out;
    }

    /** The exact test: does {@code line} contain {@code text}, ignoring case as {@link #fold} does? */
    static boolean contains(String line, String foldedText) {
        return fold(line).contains(foldedText);
    }
}
