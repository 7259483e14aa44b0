package dev.portier.recorder.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code <recordings>/uploads/<id>.json}: the store confirmed these files, with these sizes and SHA-256s. Written
 * only after every file was read back; its presence is what lets the spool drop the local copy, and its digests
 * are what a download is checked against.
 */
public record UploadReceipt(String recording, String location, Instant uploaded, List<Entry> files) {

    /** One uploaded file, by name ({@code <id>.<suffix>}). */
    public record Entry(String name, long size, String sha256) {
    }

    public UploadReceipt {
        files = List.copyOf(files);
    }

    public long bytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    public Optional<Entry> entry(String name) {
        return files.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    void write(ObjectMapper json, Path file) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("recording", recording);
        node.put("location", location);
        node.put("uploaded", uploaded.toString());
        ArrayNode list = node.putArray("files");
        for (Entry e : files) {
            list.addObject().put("name", e.name()).put("size", e.size()).put("sha256", e.sha256());
        }
        LocalFiles.writeAtomically(file, json.writeValueAsBytes(node));
    }

    static UploadReceipt read(ObjectMapper json, Path file) throws IOException {
        JsonNode node = json.readTree(Files.readAllBytes(file));
        try {
            String id = node.path("recording").asText();
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : node.path("files")) {
                String name = e.path("name").asText();
                String sha = e.path("sha256").asText();
                if (!LocalFiles.isFileOf(id, name) || !sha.matches("[0-9a-f]{64}") || !e.path("size").canConvertToLong()) {
                    throw new IOException(file + " names a file that is not one of recording " + id + "'s");
                }
                entries.add(new Entry(name, e.path("size").asLong(), sha));
            }
            if (!LocalFiles.isId(id) || entries.isEmpty()) {
                throw new IOException(file + " is not an upload receipt");
            }
            return new UploadReceipt(id, node.path("location").asText(), Instant.parse(node.path("uploaded").asText()),
                    entries);
        } catch (DateTimeParseException e) {
            throw new IOException(file + " has a malformed time", e);
        }
    }
}
