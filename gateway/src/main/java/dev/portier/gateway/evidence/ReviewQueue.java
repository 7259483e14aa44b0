package dev.portier.gateway.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The auditors' spot-check queue, stored as JSON lines in {@code <data>/reviews/reviews.jsonl}: a
 * {@code sampled} line when a session's recording is drawn, a {@code reviewed} line when an auditor decided
 * ({@code ok} or a finding). Append-only and synced per line, so a crash loses no decision; the current state
 * is the fold of the file. One gateway process owns the file. Thread-safe.
 */
public final class ReviewQueue {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sampled recording and, once reviewed, its outcome ({@code reviewer} null while pending). */
    public record Review(String recording, String sessionId, String user, String target, Instant sampled,
            String reviewer, String outcome, String finding, Instant reviewed) {
        public boolean pending() {
            return reviewer == null;
        }
    }

    /** An expected refusal: unknown recording or already reviewed. */
    public static final class ReviewException extends Exception {
        private static final long serialVersionUID = 1L;

        ReviewException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final Map<String, Review> reviews = new LinkedHashMap<>();

    public ReviewQueue(Path reviewsDir) throws IOException {
        Files.createDirectories(reviewsDir);
        this.file = reviewsDir.resolve("reviews.jsonl");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    apply(JSON.readTree(line));
                }
            }
        }
    }

    public synchronized void sample(String recording, String sessionId, String user, String target) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "sampled");
        n.put("recording", recording);
        n.put("sessionId", sessionId);
        n.put("user", user);
        n.put("target", target);
        n.put("time", Instant.now().toString());
        append(n);
    }

    /** Records a reviewer's decision: {@code finding} null means the session was fine. */
    public synchronized Review decide(String recording, String reviewer, String finding)
            throws ReviewException, IOException {
        Review r = reviews.get(recording);
        if (r == null) {
            throw new ReviewException("recording " + recording + " is not in the review queue; run: reviews");
        }
        if (!r.pending()) {
            throw new ReviewException("recording " + recording + " was already reviewed by " + r.reviewer());
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "reviewed");
        n.put("recording", recording);
        n.put("reviewer", reviewer);
        n.put("outcome", finding == null ? "ok" : "finding");
        if (finding != null) {
            n.put("finding", finding);
        }
        n.put("time", Instant.now().toString());
        append(n);
        return reviews.get(recording);
    }

    public synchronized List<Review> all() {
        return new ArrayList<>(reviews.values());
    }

    private void append(ObjectNode n) throws IOException {
        byte[] line = (n + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
        apply(n);
    }

    private void apply(JsonNode n) {
        String id = n.path("recording").asText();
        Instant time = Instant.parse(n.path("time").asText());
        if ("sampled".equals(n.path("type").asText())) {
            reviews.putIfAbsent(id, new Review(id, n.path("sessionId").asText(), n.path("user").asText(),
                    n.path("target").asText(), time, null, null, null, null));
        } else {
            Review r = reviews.get(id);
            if (r != null) {
                reviews.put(id, new Review(id, r.sessionId(), r.user(), r.target(), r.sampled(),
                        n.path("reviewer").asText(), n.path("outcome").asText(),
                        n.hasNonNull("finding") ? n.get("finding").asText() : null, time));
            }
        }
    }
}
