package dev.portier.recorder.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.asciicast.AsciicastEvents;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a recording offline from its {@code .cast} and {@code .chain} files and the exported evidence public
 * key, as {@code docs/evidence.md} specifies step by step. Reads the chain whole (a few hundred bytes per flush)
 * and the cast once, streaming. Stateless.
 *
 * <p>The classification rests on how the writer behaves: cast bytes are written before the chain record that
 * covers them, each record is one write ending in a newline, and nothing follows the final checkpoint. A crash
 * therefore leaves at most uncovered cast bytes and one unterminated chain fragment: TRUNCATED. A complete record
 * that does not check, or cast bytes that a signed checkpoint covers and that do not match, cannot come from a
 * crash: TAMPERED.
 */
public final class RecordingVerifier {
    /** A chain this long would describe years of output: refuse rather than read it into memory. */
    private static final long MAX_CHAIN_BYTES = 256L << 20;
    private static final int MAX_HEADER_BYTES = 1 << 20;
    /** More than a checkpoint line (its JWS is about 500 bytes). */
    private static final int TAIL_BYTES = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ECKey key;
    private final String id;
    private long nextSeq;
    private long nextOffset;
    private String head = ChainLine.ZEROS;
    private double headT;
    private Double verifiedT;
    private long verifiedSeq = -1;
    /** Per chain line: the payload its checkpoint signature verified to (each is checked once). */
    private byte[][] signedPayloads;

    private RecordingVerifier(ECKey key, String id) {
        this.key = key;
        this.id = id;
    }

    /** The chain file that belongs to {@code castFile} ({@code <id>.cast} -> {@code <id>.chain}). */
    public static Path chainFileOf(Path castFile) {
        String name = castFile.getFileName().toString();
        String stem = name.endsWith(".cast") ? name.substring(0, name.length() - 5) : name;
        return castFile.resolveSibling(stem + ".chain");
    }

    /**
     * Whether the last line of {@code chainFile} is a final checkpoint, as the writer leaves it when the recording was
     * closed; only its form is looked at, not its signature ({@link #verify} does that). False if there is no file.
     */
    public static boolean endsWithFinalCheckpoint(Path chainFile) throws IOException {
        byte[] tail;
        try (FileChannel ch = FileChannel.open(chainFile)) {
            long size = ch.size();
            int n = (int) Math.min(size, TAIL_BYTES);
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && ch.read(buf, size - n + buf.position()) > 0) {
                // a positional read may return fewer bytes than asked
            }
            tail = Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return false;
        }
        int end = tail.length;
        if (end == 0 || tail[end - 1] != '\n') {
            return false;
        }
        int start = end - 2;
        while (start >= 0 && tail[start] != '\n') {
            start--;
        }
        ChainLine.Parsed last = ChainLine.check(Arrays.copyOfRange(tail, start + 1, end - 1));
        return last != null && "checkpoint".equals(last.node().path("type").asText())
                && last.node().path("final").asBoolean(false);
    }

    /** Never throws for bad content; an unreadable file is an {@link IOException}. */
    public static Verdict verify(Path castFile, Path chainFile, ECKey publicKey) throws IOException {
        byte[] chain;
        try {
            if (Files.size(chainFile) > MAX_CHAIN_BYTES) {
                return new Verdict(Verdict.Status.TAMPERED, chainFile + " is larger than any recording's chain",
                        null, null, null);
            }
            chain = Files.readAllBytes(chainFile);
        } catch (NoSuchFileException e) {
            return new Verdict(Verdict.Status.TRUNCATED, "nothing is signed: there is no chain file " + chainFile
                    + " (a crash before the recording's first write, or the file was removed)", null, null, null);
        }
        String id = recordingId(castFile);
        try (InputStream cast = new BufferedInputStream(Files.newInputStream(castFile), 64 * 1024)) {
            return new RecordingVerifier(publicKey, id).run(chain, cast);
        }
    }

    private Verdict run(byte[] chain, InputStream cast) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < chain.length; i++) {
            if (chain[i] == '\n') {
                lines.add(Arrays.copyOfRange(chain, start, i));
                start = i + 1;
            }
        }
        byte[] fragment = Arrays.copyOfRange(chain, start, chain.length);
        signedPayloads = new byte[lines.size()][];
        long signedUpTo = lastSignedSeq(lines);
        boolean last = false;
        byte[] buf = new byte[64 * 1024];
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            ChainLine.Parsed p = ChainLine.check(lines.get(i));
            if (p == null) {
                return tampered(lineNo, "is not a chain record or its hash does not match its content", null);
            }
            if (last) {
                return tampered(lineNo, "follows the final checkpoint", null);
            }
            JsonNode n = p.node();
            if (!n.has("type")) {
                Verdict v = chunk(lineNo, n, p.hash(), cast, buf, signedUpTo);
                if (v != null) {
                    return v;
                }
            } else if ("checkpoint".equals(n.path("type").asText()) && n.size() == 8) {
                Verdict v = checkpoint(lineNo, n, signedPayloads[i]);
                if (v != null) {
                    return v;
                }
                last = n.path("final").asBoolean();
            } else {
                return tampered(lineNo, "is of an unknown kind", null);
            }
        }
        if (fragment.length > 0) {
            if (last || ChainLine.hasBytesAfterARecord(fragment)) {
                return tampered(lines.size() + 1, "has bytes no interrupted write can leave", null);
            }
            return truncated("the chain ends in an incomplete record (an interrupted write)");
        }
        if (!last) {
            return truncated("there is no final checkpoint (the recording was not closed)");
        }
        if (cast.read() >= 0) {
            return new Verdict(Verdict.Status.TAMPERED, "the cast has bytes after offset " + nextOffset
                    + ", which the final checkpoint closed", null, nextSeq, null);
        }
        return new Verdict(Verdict.Status.VALID, nextSeq + " chunks, " + nextOffset + " bytes, up to "
                + AsciicastEvents.seconds(nanos(headT)) + " s, all covered by the final checkpoint", headT, null, null);
    }

    /** The highest chunk a checkpoint with a valid signature claims, wherever it is (-1 if none). */
    private long lastSignedSeq(List<byte[]> lines) {
        long max = -1;
        for (int i = 0; i < lines.size(); i++) {
            ChainLine.Parsed p = ChainLine.check(lines.get(i));
            if (p != null && "checkpoint".equals(p.node().path("type").asText())) {
                Optional<byte[]> payload = EvidenceSigner.verify(p.node().path("jws").asText(""), key);
                if (payload.isPresent()) {
                    signedPayloads[i] = payload.get();
                    max = Math.max(max, p.node().path("seq").asLong(-1));
                }
            }
        }
        return max;
    }

    private Verdict chunk(int lineNo, JsonNode n, String hash, InputStream cast, byte[] buf, long signedUpTo)
            throws IOException {
        Double t = n.path("t").isNumber() ? n.get("t").asDouble() : null;
        if (n.size() != 7 || !n.path("seq").canConvertToExactIntegral() || !n.path("offset").isIntegralNumber()
                || !n.path("length").isIntegralNumber() || t == null
                || !ChainLine.isHex64(n.path("sha256").asText(null)) || !ChainLine.isHex64(n.path("prev").asText(null))) {
            return tampered(lineNo, "is not a well-formed chunk record", t);
        }
        long seq = n.get("seq").asLong();
        long length = n.get("length").asLong();
        if (seq != nextSeq || n.get("offset").asLong() != nextOffset || !n.get("prev").asText().equals(head)
                || length <= 0 || t < headT) {
            return tampered(lineNo, "does not continue the chain (expected chunk " + nextSeq + " at offset "
                    + nextOffset + "): a chunk was removed, inserted, reordered or changed", t);
        }
        MessageDigest d = ChainLine.sha256();
        long left = length;
        while (left > 0) {
            int r = cast.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return truncated("the cast ends inside chunk " + seq + " (t=" + seconds(t) + " s)");
            }
            d.update(buf, 0, r);
            left -= r;
        }
        if (!ChainLine.hex(d.digest()).equals(n.get("sha256").asText())) {
            if (seq <= signedUpTo) {
                return new Verdict(Verdict.Status.TAMPERED, "chunk " + seq + " (t=" + seconds(t) + " s, cast bytes "
                        + nextOffset + ".." + (nextOffset + length) + ") does not match its recorded SHA-256, and a"
                        + " signed checkpoint covers it", null, seq, t);
            }
            return truncated("chunk " + seq + " (t=" + seconds(t) + " s), after the last signed checkpoint, does not"
                    + " match its cast bytes");
        }
        head = hash;
        headT = t;
        nextSeq++;
        nextOffset += length;
        return null;
    }

    private Verdict checkpoint(int lineNo, JsonNode n, byte[] payload) {
        if (nextSeq == 0 || n.path("seq").asLong(-1) != nextSeq - 1 || !head.equals(n.path("head").asText())
                || !n.path("t").isNumber() || n.get("t").asDouble() != headT || !n.path("final").isBoolean()
                || !n.path("at").isTextual() || !n.path("jws").isTextual()) {
            return tamperedCheckpoint(lineNo, "is a checkpoint that does not sign the chain head before it");
        }
        if (payload == null) {
            return tamperedCheckpoint(lineNo, "is a checkpoint whose signature does not verify with the evidence key");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(payload);
        } catch (IOException e) {
            return tamperedCheckpoint(lineNo, "is a checkpoint whose signed payload is not JSON");
        }
        if (claims == null || !RecordingChain.PAYLOAD_TYPE.equals(claims.path("typ").asText())
                || !claims.path("rec").asText("").equals(id) || claims.path("seq").asLong(-1) != nextSeq - 1
                || !head.equals(claims.path("head").asText()) || !claims.path("t").isNumber()
                || claims.get("t").asDouble() != headT
                || claims.path("final").asBoolean(!n.get("final").asBoolean()) != n.get("final").asBoolean()
                || !n.get("at").asText().equals(claims.path("at").asText())) {
            return tamperedCheckpoint(lineNo, "is a checkpoint signed for another recording or another point of this one");
        }
        verifiedT = headT;
        verifiedSeq = nextSeq - 1;
        return null;
    }

    /** A chain line that no crash can produce, where chunk {@code nextSeq} was expected. */
    private Verdict tampered(int lineNo, String what, Double t) {
        return new Verdict(Verdict.Status.TAMPERED, "chain line " + lineNo + " " + what + "; the first bad chunk is"
                + " chunk " + nextSeq + (t != null ? " (t=" + seconds(t) + " s)" : " (after t=" + seconds(headT)
                + " s)"), null, nextSeq, t != null ? t : headT);
    }

    /** A checkpoint over chunk {@code nextSeq - 1} that does not verify: the evidence for that chunk is broken. */
    private Verdict tamperedCheckpoint(int lineNo, String what) {
        long seq = Math.max(0, nextSeq - 1);
        return new Verdict(Verdict.Status.TAMPERED, "chain line " + lineNo + " " + what + "; the first bad chunk is"
                + " chunk " + seq + " (t=" + seconds(headT) + " s), which it claims to sign", null, seq, headT);
    }

    private Verdict truncated(String why) {
        if (verifiedT == null) {
            return new Verdict(Verdict.Status.TRUNCATED, "nothing is signed before the cut: " + why, null, null, null);
        }
        return new Verdict(Verdict.Status.TRUNCATED, "valid up to " + seconds(verifiedT) + " s (signed checkpoint"
                + " over chunk " + verifiedSeq + "), then cut: " + why, verifiedT, null, null);
    }

    private static String seconds(double t) {
        return AsciicastEvents.seconds(nanos(t));
    }

    private static long nanos(double t) {
        return Math.round(t * 1e6) * 1000;
    }

    /** The id the cast's header names ({@code portier.id}), else the file name's stem. */
    private static String recordingId(Path castFile) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(castFile))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n' && line.size() < MAX_HEADER_BYTES; b = in.read()) {
                line.write(b);
            }
            String id = JSON.readTree(line.toByteArray()).path("portier").path("id").asText(null);
            if (id != null) {
                return id;
            }
        } catch (IOException e) {
            if (!Files.exists(castFile)) {
                throw e;
            }
        }
        String name = castFile.getFileName().toString();
        return name.endsWith(".cast") ? name.substring(0, name.length() - 5) : name;
    }
}
