package dev.portier.recorder.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TrigramsTest {
    @Test
    void foldingKeepsTheLength() {
        String s = "Show İNTERFACE Gi0/1";
        assertEquals(s.codePointCount(0, s.length()), Trigrams.fold(s).codePointCount(0, Trigrams.fold(s).length()));
        assertEquals("show running-config", Trigrams.fold("SHOW Running-Config"));
    }

    @Test
    void aLineHasItsTrigramsAndItsTwoCharacterPieces() {
        assertEquals(Set.of("ls ", "s -", " -l", "-la", "ls", "s ", " -", "-l", "la"), Trigrams.ofLine("ls -la"));
    }

    @Test
    void aTextLooksUpItsTrigramsOrItselfWhenItHasTwoCharacters() {
        assertEquals(Set.of("rel", "elo", "loa"), Trigrams.ofText("reloa"));
        assertEquals(Set.of("up"), Trigrams.ofText("up"));
    }

    @Test
    void everyTextInALineHasAllItsGramsAmongTheLines() {
        String line = Trigrams.fold("rtr-bru-01#show ip route");
        Set<String> grams = Trigrams.ofLine(line);
        for (int i = 0; i < line.length(); i++) {
            for (int j = i + 2; j <= line.length(); j++) {
                String text = line.substring(i, j);
                Set<String> needed = Trigrams.ofText(text);
                assertFalse(needed.isEmpty(), text);
                assertTrue(grams.containsAll(needed), text);
            }
        }
    }

    @Test
    void theExactCheckIgnoresCase() {
        assertTrue(Trigrams.contains("Interface GigabitEthernet0/1", Trigrams.fold("gigabitETHERNET")));
        assertFalse(Trigrams.contains("abc xbcd", Trigrams.fold("abcd")));
    }

    @Test
    void supplementaryCharactersAreWholeInGrams() {
        assertEquals(Set.of("a😀b", "a😀", "😀b"), Trigrams.ofLine("a😀b"));
    }
}
