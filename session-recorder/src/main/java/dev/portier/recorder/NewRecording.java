package dev.portier.recorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.recorder.asciicast.AsciicastHeader;
import dev.portier.recorder.crypt.ChunkCipher;
import dev.portier.recorder.crypt.RecordingKeys;
import dev.portier.recorder.crypt.SealedFormat;
import dev.portier.recorder.seal.CheckpointSigner;
import dev.portier.recorder.seal.RecordingChain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Creates the files of a new recording. Encrypted (when the store has {@link RecordingKeys} to write with): a fresh
 * data key, wrapped at once and wiped, and clear header lines that name the recording, whose session it is and the
 * grant it ran under (what {@code .meta.json} and {@code portier verify} show anyway), never session content.
 */
final class NewRecording {
    private NewRecording() {
    }

    /**
     * @param keys null for a plain recording
     * @throws java.nio.file.FileAlreadyExistsException if the id is taken (the caller tries another)
     */
    static RecordingWriter create(Path dir, String id, RecordingMetadata meta, ObjectMapper json, ChannelOpener opener,
            CheckpointSigner signer, RecordingKeys keys) throws IOException {
        byte[] header = line(json, AsciicastHeader.of(json, id, meta));
        RecordingWriter.Sealing sealing = keys == null ? null : sealing(json, id, meta, keys);
        return RecordingWriter.create(dir.resolve(id + RecordingFiles.CAST), dir.resolve(id + RecordingFiles.CHAIN),
                dir.resolve(id + RecordingFiles.EVENTS), opener, header, new RecordingChain(id, signer), sealing);
    }

    private static RecordingWriter.Sealing sealing(ObjectMapper json, String id, RecordingMetadata meta,
            RecordingKeys keys) throws IOException {
        byte[] key = ChunkCipher.newKey();
        try {
            String wrapped = keys.wrap(id, key);
            ObjectNode cast = SealedFormat.header(json, SealedFormat.CAST, id, wrapped);
            ObjectNode clear = (ObjectNode) cast.get("portier");
            clear.put("sessionId", meta.sessionId());
            clear.put("user", meta.user());
            clear.put("target", meta.target());
            clear.put("account", meta.account());
            clear.put("channel", meta.channel());
            if (meta.grant() != null) {
                clear.put("grant", meta.grant());
            }
            ObjectNode events = SealedFormat.header(json, SealedFormat.EVENTS, id, null);
            return new RecordingWriter.Sealing(ChunkCipher.of(id, key), line(json, cast), line(json, events));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] line(ObjectMapper json, ObjectNode node) throws IOException {
        byte[] text = json.writeValueAsBytes(node);
        byte[] out = Arrays.copyOf(text, text.length + 1);
        out[text.length] = '\n';
        return out;
    }
}
