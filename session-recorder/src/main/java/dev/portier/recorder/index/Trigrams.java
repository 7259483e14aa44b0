package dev.portier.recorder.index;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The grams behind substring search. A line is indexed as the set of its distinct three-character pieces and its
 * distinct two-character pieces (after case folding): then every text of at least two characters that occurs in a
 * line has all its grams among the line's (a two-character text is its own gram). Two-character pieces are grams
 * of their own, not prefixes of trigrams, because the index only holds keyed hashes of grams ({@link IndexKey}),
 * and a hash has no prefix to look up. The grams only find candidates; the stored line decides
 * (see {@link #contains}).
 */
final class Trigrams {
    static final int N = 3;

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

    /** The grams to index for a folded line: its trigrams, then its two-character pieces. */
    static Set<String> ofLine(String folded) {
        int[] cps = folded.codePoints().toArray();
        Set<String> out = grams(cps, N);
        out.addAll(grams(cps, N - 1));
        return out;
    }

    /**
     * The grams every line containing the folded {@code text} has: its trigrams, or for a two-character text the
     * text itself; empty for a shorter text (which {@link SearchQuery} refuses).
     */
    static Set<String> ofText(String folded) {
        int[] cps = folded.codePoints().toArray();
        return grams(cps, cps.length >= N ? N : N - 1);
    }

    private static Set<String> grams(int[] cps, int n) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i + n <= cps.length; i++) {
            out.add(new String(cps, i, n));
        }
        return out;
    }

    /** The exact test: does {@code line} contain {@code text}, ignoring case as {@link #fold} does? */
    static boolean contains(String line, String foldedText) {
        return fold(line).contains(foldedText);
    }
}
