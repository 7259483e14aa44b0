package dev.portier.recorder.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.RecordingInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a recording's events turn into: the lines a person typed and saw. */
class LineExtractionTest {
    private static final RecordingInfo INFO = new RecordingInfo("20261127T173501Z-0000abcd", "s-1", "alice",
            "srv-1", "root", Instant.parse("2026-11-27T17:35:01Z"), null, "closed");

    private static List<String> output(String... chunks) {
        List<String> lines = new ArrayList<>();
        OutputLines out = new OutputLines(1000, (t, text) -> lines.add(text));
        for (String c : chunks) {
            out.feed(0, c);
        }
        out.finish();
        return lines;
    }

    private static List<String> typed(String... chunks) {
        List<String> lines = new ArrayList<>();
        CommandLines in = new CommandLines(1000, (t, text) -> lines.add(text));
        for (String c : chunks) {
            in.feed(0, c);
        }
        return lines;
    }

    @Test
    void colourAndTitleEscapesAreRemoved() {
        assertEquals(List.of("alice@srv-1:~$ ls", "notes.txt  backup.tar"),
                output("\u001b]0;alice@srv-1: ~\u0007\u001b[01;32malice@srv-1\u001b[00m:\u001b[01;34m~\u001b[00m$ ls\r\n",
                        "\u001b[0m\u001b[01;34mnotes.txt\u001b[0m  backup.tar\r\n"));
    }

    @Test
    void anEscapeSplitAcrossEventsIsStillRemoved() {
        assertEquals(List.of("red text"), output("\u001b[3", "1mred\u001b", "[0m text\n"));
        assertEquals(List.of("after"), output("\u001b]0;win", "dow title\u001b", "\\after\n"));
    }

    @Test
    void carriageReturnOverwritesTheLineLikeAProgressBar() {
        assertEquals(List.of("100% done"), output("  10%\r", " 50%\r", "100% done\r\n"));
    }

    @Test
    void crLfAndLoneLfBothEndALine() {
        assertEquals(List.of("one", "two", "three"), output("one\r\ntwo\nthree\r\n"));
    }

    @Test
    void backspaceAndEraseInLineApplyToTheLine() {
        assertEquals(List.of("show running-config"), output("show runx\b \bning-config\r\n"));
        assertEquals(List.of("final"), output("draft text\r\u001b[Kfinal\r\n"));
        assertEquals(List.of("abXef"), output("abcdef\u001b[4D\u001b[1PX\r\n"));
    }

    @Test
    void aCursorJumpToAnotherRowEndsTheLine() {
        assertEquals(List.of("top row", "status row"), output("top row\u001b[24;1Hstatus row"));
    }

    @Test
    void privateModesAndBellsPrintNothing() {
        assertEquals(List.of("ok"), output("\u001b[?2004h\u0007\u001b[?25lok\u001b[?25h\r\n"));
    }

    @Test
    void tabsExpandToSpaces() {
        assertEquals(List.of("a       b"), output("a\tb\n"));
    }

    @Test
    void aVeryLongLineIsCutIntoPieces() {
        List<String> lines = new ArrayList<>();
        OutputLines out = new OutputLines(16, (t, text) -> lines.add(text));
        out.feed(0, "0123456789abcdef0123\n");
        assertEquals(List.of("0123456789abcdef", "0123"), lines);
    }

    @Test
    void blankLinesAreNotKept() {
        assertEquals(List.of("x"), output("\r\n   \r\n\u001b[0m\r\nx\r\n"));
    }

    @Test
    void typedLinesEndAtEnter() {
        assertEquals(List.of("uptime", "df -h"), typed("upt", "ime\r", "df -h\r"));
        assertEquals(List.of("one", "two"), typed("one\r\ntwo\n"), "CR LF makes no empty command");
    }

    @Test
    void backspaceAndDeleteEditTheTypedLine() {
        assertEquals(List.of("systemctl status"), typed("systemctl stx\u007f\u007ftatus\r"));
        assertEquals(List.of("ls"), typed("lx\bs\r"));
    }

    @Test
    void ctrlUAndCtrlWClearTheLineOrTheLastWord() {
        assertEquals(List.of("whoami"), typed("rm -rf /tmp/x\u0015whoami\r"));
        assertEquals(List.of("cat /etc/hosts"), typed("cat /etc/passwd\u0017/etc/hosts\r"));
    }

    @Test
    void ctrlCAbandonsTheLine() {
        assertEquals(List.of("id"), typed("reboot\u0003id\r"));
    }

    @Test
    void arrowKeysAndPasteMarkersAreDropped() {
        assertEquals(List.of("ls -l"), typed("\u001b[A\u001bOB\u001b[200~ls -l\u001b[201~\r"));
    }

    @Test
    void maskedInputStaysTheMarker() {
        // The recorder wrote the marker in place of the password: that is all the index can see.
        LineExtractor x = new LineExtractor(INFO, IndexLimits.DEFAULTS);
        x.event(1.0, "o", "Password: ");
        x.event(2.5, "i", "[masked]\r");
        x.event(2.6, "o", "\r\nsu: Authentication failure\r\n$ ");
        x.event(3.0, "i", "id\r");
        List<IndexedLine> lines = x.lines();
        assertTrue(lines.contains(new IndexedLine(IndexedLine.Kind.COMMAND, 2500, "[masked]")), lines.toString());
        assertTrue(lines.contains(new IndexedLine(IndexedLine.Kind.COMMAND, 3000, "id")), lines.toString());
        assertTrue(lines.contains(new IndexedLine(IndexedLine.Kind.OUTPUT, 2600, "Password:")), lines.toString());
    }

    @Test
    void linesCarryTheTimeTheyWereCompletedInOrder() {
        LineExtractor x = new LineExtractor(INFO, IndexLimits.DEFAULTS);
        x.event(0.5, "o", "$ ");
        x.event(10.0, "i", "hostname\r");
        x.event(10.02, "o", "hostname\r\n");
        x.event(10.25, "o", "srv-1\r\n$ ");
        x.event(12.0, "r", "100x30");
        assertEquals(List.of(new IndexedLine(IndexedLine.Kind.COMMAND, 10_000, "hostname"),
                new IndexedLine(IndexedLine.Kind.OUTPUT, 10_020, "$ hostname".strip()),
                new IndexedLine(IndexedLine.Kind.OUTPUT, 10_250, "srv-1"),
                new IndexedLine(IndexedLine.Kind.OUTPUT, 10_250, "$")), x.lines());
    }

    @Test
    void theCommandOfAnExecChannelIsACommandAtTheStart() throws Exception {
        LineExtractor x = new LineExtractor(INFO, IndexLimits.DEFAULTS);
        x.header(new ObjectMapper().readTree(
                "{\"version\":2,\"title\":\"alice -> root@srv-1 (exec: systemctl restart nginx)\"}"));
        x.event(0.3, "o", "done\n");
        assertEquals(new IndexedLine(IndexedLine.Kind.COMMAND, 0, "systemctl restart nginx"), x.lines().get(0));
    }

    @Test
    void aShellTitleHasNoCommand() throws Exception {
        LineExtractor x = new LineExtractor(INFO, IndexLimits.DEFAULTS);
        x.header(new ObjectMapper().readTree("{\"version\":2,\"title\":\"alice -> root@srv-1 (shell)\"}"));
        assertTrue(x.lines().isEmpty());
    }

    @Test
    void linesBeyondTheLimitAreNotIndexedAndTheRecordingIsMarkedTruncated() {
        LineExtractor x = new LineExtractor(INFO, new IndexLimits(16, 3));
        for (int i = 0; i < 10; i++) {
            x.event(i, "o", "line " + i + "\n");
        }
        List<IndexedLine> lines = x.lines();
        assertEquals(3, lines.size());
        assertTrue(x.truncated());
        assertFalse(new LineExtractor(INFO, IndexLimits.DEFAULTS).truncated());
    }
}
