package dev.portier.recorder.index;

import java.util.Iterator;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** The grams of one line as Lucene tokens; they are made by {@link Trigrams}, not by an analyzer. */
final class GramTokenStream extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final Set<String> grams;
    private Iterator<String> next;

    GramTokenStream(Set<String> grams) {
        this.grams = grams;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        next = grams.iterator();
    }

    @Override
    public boolean incrementToken() {
        if (next == null || !next.hasNext()) {
            return false;
        }
        clearAttributes();
        term.setEmpty().append(next.next());
        return true;
    }
}
