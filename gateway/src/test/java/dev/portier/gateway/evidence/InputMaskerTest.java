package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputMaskerTest {
    private final InputMasker masker = InputMasker.withPatterns(List.of());

    private void out(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        masker.output(b, 0, b.length);
    }

    private String in(String s) {
        byte[] b = ("xx" + s).getBytes(StandardCharsets.UTF_8);
        InputMasker.Recordable r = masker.input(b, 2, b.length - 2);
        return new String(r.data(), r.offset(), r.length(), StandardCharsets.UTF_8);
    }

    @Test
    void inputIsRecordedAsTypedWithoutAPrompt() {
        out("$ ");
        assertEquals("ls -l\r", in("ls -l\r"));
    }

    @Test
    void keystrokesAtAPasswordPromptBecomeOneMarkerAtTheLineEnd() {
        out("\r\nPassword: ");
        assertEquals("", in("s"));
        assertEquals("", in("3cr"));
        assertEquals("[masked]\r", in("et\r"));
        assertEquals("ls\r", in("ls\r"));
    }

    @Test
    void inputAfterTheLineEndInTheSameChunkIsKept() {
        out("Password:");
        assertEquals("[masked]\rid\r", in("hunter2\rid\r"));
    }

    @Test
    void promptSplitAcrossChunksIsRecognised() {
        out("Pass");
        out("wor");
        assertFalse(masker.masking());
        out("d: ");
        assertTrue(masker.masking());
    }

    @Test
    void promptInsideEscapeSequencesIsRecognised() {
        out("\u001b[1;31mEnter \u001b]0;title\u0007pass\u001b[0mphrase for key '/root/.ssh/id': \u001b[K");
        assertTrue(masker.masking());
    }

    @Test
    void escapeSequenceSplitAcrossChunksIsStripped() {
        out("Password\u001b[");
        out("0m: ");
        assertTrue(masker.masking());
    }

    @Test
    void promptMidLineAfterOtherTextIsRecognised() {
        out("Authenticating as alice. [sudo] password for alice");
        assertTrue(masker.masking());
    }

    @Test
    void sudoAndEnableSecretPromptsAreRecognised() {
        out("[sudo] password for bob: ");
        assertTrue(masker.masking());
        in("\n");
        out("\r\nrouter(config)#enable secret ");
        assertTrue(masker.masking());
    }

    @Test
    void textMentioningPasswordWithoutAColonAtTheEndIsNotAPrompt() {
        out("Your password expires in 5 days\r\n$ ");
        assertFalse(masker.masking());
        out("\r\nPassword: changed\r\n");
        assertFalse(masker.masking());
        out("password policy: strict\r\n$ ");
        assertFalse(masker.masking());
    }

    @Test
    void theEchoedLineEndDoesNotArmTheMaskerAgain() {
        out("Password: ");
        in("secret\r");
        out("\r\n");
        assertFalse(masker.masking());
        assertEquals("whoami\r", in("whoami\r"));
    }

    @Test
    void ctrlCAbandonsThePrompt() {
        out("Password: ");
        assertEquals("[masked]\u0003", in("abc\u0003"));
        assertFalse(masker.masking());
    }

    @Test
    void configuredPatternsAreAddedToTheBuiltInOnes() {
        InputMasker pin = InputMasker.withPatterns(List.of("PIN code\\s*>\\s*$"));
        byte[] prompt = "Enter pin CODE > ".getBytes(StandardCharsets.US_ASCII);
        pin.output(prompt, 0, prompt.length);
        assertTrue(pin.masking());
    }
}
