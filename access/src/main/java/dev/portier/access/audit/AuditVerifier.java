package dev.portier.access.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recomputes the chain of an audit log file from its first line, streaming. A run of bad lines is accepted only
 * when the next event is the {@code audit.chain-resumed} event the writer records after a crash, naming the last
 * bad line and continuing from the last valid hash; anything else is reported at its line number.
 */
final class AuditVerifier {
    private AuditVerifier() {
    }

    static AuditVerification verify(Path file) {
        long events = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            LineReader lines = new LineReader(in);
            String expected = AuditLine.GENESIS;
            long lineNo = 0;
            String badProblem = null;
            long lastBad = 0;
            int badCount = 0;
            byte[] line;
            while ((line = lines.next()) != null) {
                lineNo++;
                AuditLine.Checked c = lines.tooLong
                        ? AuditLine.Checked.bad("line longer than " + AuditLine.MAX_LINE_BYTES + " bytes")
                        : AuditLine.check(line);
                if (c.problem() != null) {
                    if (badProblem == null) {
                        badProblem = "line " + lineNo + ": "
                                + (lines.terminated ? c.problem() : "incomplete line (interrupted write)");
                    }
                    lastBad = lineNo;
                    badCount++;
                    continue;
                }
                if (badProblem != null) {
                    if (!accountsFor(c, expected, lastBad, badCount)) {
                        return new AuditVerification(false, events, badProblem);
                    }
                    badProblem = null;
                    badCount = 0;
                } else if (!c.prevHash().equals(expected)) {
                    return new AuditVerification(false, events, "line " + lineNo
                            + ": prevHash does not match the hash of the line before (a line was changed, removed,"
                            + " inserted or reordered)");
                }
                expected = c.hash();
                events++;
            }
            if (badProblem != null) {
                return new AuditVerification(false, events, badProblem);
            }
            return new AuditVerification(true, events, null);
        } catch (IOException e) {
            return new AuditVerification(false, events, "cannot read " + file + ": " + e);
        }
    }

    private static boolean accountsFor(AuditLine.Checked c, String expected, long lastBad, int badCount) {
        return AuditLine.CHAIN_RESUMED.equals(c.type())
                && c.prevHash().equals(expected)
                && c.node().path("badLine").asLong(-1) == lastBad
                && c.node().path("badLines").asInt(-1) == badCount;
    }

    /** Reads lines as raw bytes (the hash covers bytes, not decoded text), bounded in length. */
    private static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        boolean terminated;
        boolean tooLong;

        LineReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            buf.reset();
            tooLong = false;
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0) {
                any = true;
                if (b == '\n') {
                    terminated = true;
                    return buf.toByteArray();
                }
                if (buf.size() < AuditLine.MAX_LINE_BYTES) {
                    buf.write(b);
                } else {
                    tooLong = true;
                }
            }
            terminated = false;
            return any ? buf.toByteArray() : null;
        }
    }
}
