package dev.portier.recorder.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Legal holds: one small JSON file per held recording, {@code <recordings>/holds/<id>.json}, and with an object
 * store the same file as {@code holds/<id>.json} beside the recordings there, so a hold travels with the evidence
 * and every node sharing the bucket sees it. The store's copy is written first and removed first: when the store
 * cannot be reached a hold is neither placed nor released (nothing changes), and the sweeper, which counts a
 * recording as held if either copy says so, deletes nothing. An unreadable local hold still counts as a hold.
 */
public final class LegalHolds {
    static final String KEY_PREFIX = "holds/";
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final ObjectStore store;
    private final ObjectMapper json = new ObjectMapper();

    /** @param store the object store, or {@code null} for holds kept locally only */
    LegalHolds(Path recordingsDir, ObjectStore store) {
        this.dir = recordingsDir.resolve("holds");
        this.store = store;
    }

    /**
     * Places {@code hold}, unless the recording is held already (the first hold stays as it is).
     *
     * @return false if it was held already
     */
    public synchronized boolean place(Hold hold) throws IOException {
        String id = checkId(hold.recording());
        if (isHeld(id)) {
            return false;
        }
        LocalFiles.createPrivateDirectories(dir);
        Path file = file(id);
        Path tmp = LocalFiles.temporary(file);
        try {
            LocalFiles.writeAtomically(tmp, bytes(hold));
            if (store != null) {
                store.put(KEY_PREFIX + id + SUFFIX, tmp, FileDigest.of(tmp));
            }
            LocalFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    /** Removes the hold on recording {@code id}; empty if there was none. */
    public synchronized Optional<Hold> release(String id) throws IOException {
        checkId(id);
        Optional<Hold> local = get(id);
        boolean remote = store != null && store.exists(KEY_PREFIX + id + SUFFIX);
        if (local.isEmpty() && !remote) {
            return Optional.empty();
        }
        if (remote) {
            store.delete(KEY_PREFIX + id + SUFFIX);
        }
        Files.deleteIfExists(file(id));
        return Optional.of(local.orElse(new Hold(id, "(placed on another node)", null, null)));
    }

    /** The hold on {@code id} as this node knows it (its local copy); for listing, no network. */
    public Optional<Hold> get(String id) throws IOException {
        checkId(id);
        byte[] content;
        try {
            content = Files.readAllBytes(file(id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(id, content));
    }

    /** True if either copy holds {@code id}; asks the object store, so it fails when that cannot be reached. */
    public boolean isHeld(String id) throws IOException {
        checkId(id);
        return Files.exists(file(id)) || store != null && store.exists(KEY_PREFIX + id + SUFFIX);
    }

    /** Every held recording, local and in the store; fails (so nothing is deleted) when the store cannot be reached. */
    public Set<String> heldIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path p : files) {
                    String name = p.getFileName().toString();
                    ids.add(name.substring(0, name.length() - SUFFIX.length()));
                }
            }
        }
        if (store != null) {
            for (String key : store.list(KEY_PREFIX)) {
                if (key.endsWith(SUFFIX)) {
                    ids.add(key.substring(KEY_PREFIX.length(), key.length() - SUFFIX.length()));
                }
            }
        }
        return ids;
    }

    private Path file(String id) {
        return dir.resolve(id + SUFFIX);
    }

    private byte[] bytes(Hold hold) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("recording", hold.recording());
        node.put("reason", hold.reason());
        node.put("by", hold.by());
        node.put("since", hold.since().toString());
        return json.writeValueAsBytes(node);
    }

    /** A hold file that cannot be read is still a hold: retention must never delete on a parse error. */
    private Hold parse(String id, byte[] content) {
        try {
            JsonNode n = json.readTree(content);
            return new Hold(id, n.path("reason").asText("(unreadable)"), n.path("by").asText(null),
                    n.hasNonNull("since") ? Instant.parse(n.get("since").asText()) : null);
        } catch (IOException | DateTimeParseException e) {
            return new Hold(id, "(unreadable hold file " + file(id) + ")", null, null);
        }
    }

    private static String checkId(String id) {
        if (!LocalFiles.isId(id)) {
            throw new IllegalArgumentException("not a recording id");
        }
        return id;
    }
}
