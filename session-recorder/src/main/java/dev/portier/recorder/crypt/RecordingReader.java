package dev.portier.recorder.crypt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a recording's stored files as the recorder produced their content, whatever their format: a plain file
 * (written before encryption at rest, or with it turned off) as it is, an encrypted one decrypted frame by frame.
 * The format is told by the file's first line ({@link SealedFormat}). Every consumer (export, replay, tools) reads
 * through here, so none of them handles keys or frames.
 */
public final class RecordingReader {
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int BUFFER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordingReader() {
    }

    /**
     * The cast's content: asciicast v2 with Portier's header extension. For an encrypted cast, a frame cut short by
     * a crash ends the stream where the last complete frame ends (nothing complete is lost).
     *
     * @param expectedId the recording id the file must hold, or null for a file named by path
     * @param closed     whether the recording was closed (its chain ends in the final checkpoint): then a cut frame
     *                   is an error, not the trace of a crash
     * @throws RecordingCryptoException if the key cannot be unwrapped or the file is not this recording's
     */
    public static InputStream openCast(Path castFile, String expectedId, RecordingKeys keys, boolean closed)
            throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(castFile), BUFFER);
        try {
            byte[] first = firstLine(in);
            Optional<SealedFormat.Header> header = SealedFormat.parse(JSON, first, SealedFormat.CAST);
            if (header.isEmpty()) {
                return new SequenceInputStream(new ByteArrayInputStream(first), in);
            }
            ChunkCipher cipher = cipherOf(header.get(), expectedId, keys);
            return new FrameInputStream(in, cipher, ChunkCipher.Stream.CAST, closed);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * The structured events ({@code <id>.events.jsonl}), one JSON object per line; decrypted with the key that the
     * cast's header holds.
     */
    public static InputStream openEvents(Path eventsFile, Path castFile, String expectedId, RecordingKeys keys,
            boolean closed) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(eventsFile), BUFFER);
        try {
            byte[] first = firstLine(in);
            Optional<SealedFormat.Header> header = SealedFormat.parse(JSON, first, SealedFormat.EVENTS);
            if (header.isEmpty()) {
                return new SequenceInputStream(new ByteArrayInputStream(first), in);
            }
            SealedFormat.Header cast = castHeader(castFile);
            if (!cast.id().equals(header.get().id())) {
                throw new RecordingCryptoException("the events file " + eventsFile + " belongs to recording "
                        + header.get().id() + ", not to " + cast.id());
            }
            return new FrameInputStream(in, cipherOf(cast, expectedId, keys), ChunkCipher.Stream.EVENTS, closed);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Whether {@code castFile} is an encrypted recording (false for a plain one). */
    public static boolean isEncrypted(Path castFile) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(castFile), BUFFER)) {
            return SealedFormat.parse(JSON, firstLine(in), SealedFormat.CAST).isPresent();
        }
    }

    private static SealedFormat.Header castHeader(Path castFile) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(castFile), BUFFER)) {
            return SealedFormat.parse(JSON, firstLine(in), SealedFormat.CAST).orElseThrow(() ->
                    new RecordingCryptoException("the events file of " + castFile + " is encrypted but its cast is"
                            + " not: one of them was replaced"));
        }
    }

    private static ChunkCipher cipherOf(SealedFormat.Header header, String expectedId, RecordingKeys keys)
            throws RecordingCryptoException {
        if (expectedId != null && !expectedId.equals(header.id())) {
            throw new RecordingCryptoException("the file of recording " + expectedId + " holds recording "
                    + header.id() + ": it was renamed or replaced");
        }
        byte[] key = keys.unwrap(header.id(), header.wrappedKey());
        try {
            return ChunkCipher.of(header.id(), key);
        } catch (IllegalArgumentException e) {
            throw new RecordingCryptoException("the key of recording " + header.id() + " has the wrong length");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The first line, newline included (or as much as there is, when it has none). */
    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n' || line.size() >= MAX_HEADER_BYTES) {
                break;
            }
        }
        return line.toByteArray();
    }
}
