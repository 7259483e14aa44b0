package dev.portier.access.audit;

import com.nimbusds.jose.jwk.ECKey;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Verifies an audit log file from its first line, streaming: the hash chain, and the signed checkpoints
 * ({@code docs/evidence.md}). A run of bad lines is accepted only when the next event is the
 * {@code audit.chain-resumed} event the writer records after a crash, naming the last bad line and continuing from
 * the last valid hash. A crash leaves at most one unterminated last line and unsigned events after the last
 * checkpoint: TRUNCATED. Anything else that does not verify is TAMPERED, reported at its line number.
 */
final class AuditVerifier {
    private AuditVerifier() {
    }

    static AuditVerification verify(Path file, ECKey key) {
        long events = 0;
        Instant signedUpTo = null;
        long unsigned = 0;
        boolean closedAtEnd = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            LineReader lines = new LineReader(in);
            String expected = AuditLine.GENESIS;
            long lineNo = 0;
            String badProblem = null;
            long lastBad = 0;
            int badCount = 0;
            boolean tornTail = false;
            byte[] line;
            while ((line = lines.next()) != null) {
                lineNo++;
                AuditLine.Checked c = lines.tooLong
                        ? AuditLine.Checked.bad("line longer than " + AuditLine.MAX_LINE_BYTES + " bytes")
                        : AuditLine.check(line);
                if (c.problem() != null) {
                    if (badProblem == null) {
                        tornTail = !lines.terminated && !AuditLine.hasBytesAfterALine(line);
                        badProblem = "line " + lineNo + ": "
                                + (tornTail ? "incomplete line (interrupted write)" : c.problem());
                    }
                    lastBad = lineNo;
                    badCount++;
                    continue;
                }
                if (!lines.terminated && badProblem == null) {
                    // Every line is written with its newline: without one, the write was cut, even if what is
                    // there parses. It proves nothing, so it is not counted.
                    return truncated(events, "line " + lineNo + ": incomplete line (no newline: interrupted write)",
                            signedUpTo);
                }
                if (badProblem != null) {
                    if (!accountsFor(c, expected, lastBad, badCount)) {
                        return tampered(events, badProblem, signedUpTo);
                    }
                    badProblem = null;
                    badCount = 0;
                } else if (!c.prevHash().equals(expected)) {
                    return tampered(events, "line " + lineNo + ": prevHash does not match the hash of the line"
                            + " before (a line was changed, removed, inserted or reordered)", signedUpTo);
                }
                if (AuditCheckpoint.TYPE.equals(c.type())) {
                    String problem = AuditCheckpoint.problem(c, key);
                    if (problem != null) {
                        return tampered(events, "line " + lineNo + ": " + problem, signedUpTo);
                    }
                    signedUpTo = time(c);
                    unsigned = 0;
                    closedAtEnd = c.node().path("final").asBoolean();
                } else {
                    events++;
                    unsigned++;
                    closedAtEnd = false;
                }
                expected = c.hash();
            }
            if (badProblem != null) {
                if (tornTail && badCount == 1) {
                    return truncated(events, badProblem, signedUpTo);
                }
                return tampered(events, badProblem, signedUpTo);
            }
            if (unsigned > 0) {
                return truncated(events, "line " + lineNo + ": the last " + unsigned + " event(s) are not covered by"
                        + " a signed checkpoint (cut by a crash, or Portier is still writing: it signs within 10 s)",
                        signedUpTo);
            }
            if (lineNo > 0 && !closedAtEnd) {
                return truncated(events, "line " + lineNo + ": the log does not end with the checkpoint written at"
                        + " close (cut by a crash, or Portier is still writing)", signedUpTo);
            }
            return new AuditVerification(AuditVerification.Status.VALID, events, null, signedUpTo);
        } catch (IOException e) {
            return new AuditVerification(AuditVerification.Status.TAMPERED, events, "cannot read " + file + ": " + e,
                    null);
        }
    }

    private static AuditVerification tampered(long events, String problem, Instant signedUpTo) {
        return new AuditVerification(AuditVerification.Status.TAMPERED, events, problem, signedUpTo);
    }

    private static AuditVerification truncated(long events, String problem, Instant signedUpTo) {
        String where = signedUpTo == null ? "nothing is signed; " : "valid up to " + signedUpTo + ", then cut: ";
        return new AuditVerification(AuditVerification.Status.TRUNCATED, events, where + problem, signedUpTo);
    }

    private static Instant time(AuditLine.Checked c) {
        try {
            return Instant.parse(c.node().path("time").asText());
        } catch (DateTimeParseException e) {
            return null;
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
