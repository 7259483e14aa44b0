package dev.portier.recorder.index;

import dev.portier.recorder.RecordingInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the index keeps of one recording.
 *
 * @param labels    the target's labels when the recording was indexed
 * @param truncated true when the recording had more lines than the index takes ({@link IndexLimits})
 */
public record IndexedRecording(RecordingInfo info, Map<String, String> labels, List<IndexedLine> lines,
        boolean truncated) {
    public IndexedRecording {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(info.id(), "info.id");
        Objects.requireNonNull(info.start(), "info.start");
        labels = Map.copyOf(labels);
        lines = List.copyOf(lines);
    }
}
