package dev.portier.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineEditorTest {

    private final ByteArrayOutputStream echo = new ByteArrayOutputStream();
    private final LineEditor editor = new LineEditor(echo, true);

    private List<LineEditor.Event> type(String keys) {
        List<LineEditor.Event> events = new ArrayList<>();
        for (byte b : keys.getBytes(StandardCharsets.UTF_8)) {
            LineEditor.Event event = editor.accept(b & 0xff);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    private String echoed() {
        return echo.toString(StandardCharsets.UTF_8);
    }

    @Test
    void carriageReturnEndsLineAndEchoesCrLf() {
        assertEquals(List.of(new LineEditor.Line("show clock")), type("show clock\r"));
        assertEquals("show clock\r\n", echoed());
    }

    @Test
    void crLfAndCrNulAreOneEnter() {
        assertEquals(List.of(new LineEditor.Line("a"), new LineEditor.Line("b")), type("a\r\nb\r\0"));
    }

    @Test
    void bareLineFeedEndsLine() {
        assertEquals(List.of(new LineEditor.Line("a"), new LineEditor.Line("b")), type("a\nb\n"));
    }

    @Test
    void deleteAndBackspaceEraseLastCharacter() {
        assertEquals(List.of(new LineEditor.Line("ab")), type("abx\u007fy\b\r"));
        assertEquals("abx\b \by\b \b\r\n", echoed());
    }

    @Test
    void backspaceOnEmptyLineEchoesNothing() {
        type("\u007f\u007f");
        assertEquals("", echoed());
    }

    @Test
    void backspaceRemovesWholeMultiByteCharacter() {
        assertEquals(List.of(new LineEditor.Line("ca")), type("caf\u00e9\u007f\u007f\r"));
    }

    @Test
    void arrowKeysAndFunctionKeysAreIgnored() {
        assertEquals(List.of(new LineEditor.Line("show")), type("sh\u001b[A\u001b[1;5Do\u001bOPw\u001b[15~\r"));
        assertEquals("show\r\n", echoed());
    }

    @Test
    void ctrlCDiscardsLine() {
        assertEquals(List.of(new LineEditor.Interrupt(), new LineEditor.Line("b")), type("abc\u0003b\r"));
    }

    @Test
    void ctrlUErasesWholeLine() {
        assertEquals(List.of(new LineEditor.Line("x")), type("abc\u0015x\r"));
        assertEquals("abc\b \b\b \b\b \bx\r\n", echoed());
    }

    @Test
    void ctrlDOnlyEndsInputOnEmptyLine() {
        assertEquals(List.of(), type("ab\u0004"));
        assertEquals(List.of(new LineEditor.Line("ab"), new LineEditor.EndOfInput()), type("\r\u0004"));
    }

    @Test
    void echoOffHidesPassword() {
        editor.echo(false);
        assertEquals(List.of(new LineEditor.Line("secret")), type("secret\r"));
        assertEquals("", echoed());
    }

    @Test
    void overlongLineIsCappedNotGrown() {
        for (int i = 0; i < LineEditor.MAX_LINE + 100; i++) {
            assertNull(editor.accept('a'));
        }
        LineEditor.Line line = (LineEditor.Line) editor.accept('\r');
        assertEquals(LineEditor.MAX_LINE, line.text().length());
    }
}
