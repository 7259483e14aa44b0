package dev.portier.recorder.storage;

import dev.portier.recorder.RecordingInfo;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The recordings the spool and the sweeper work on: {@code RecordingStore}'s listing. */
public interface Catalog {
    /** Status {@code recording} means still open (or cut by a crash not yet marked). */
    String OPEN = "recording";

    List<RecordingInfo> list() throws IOException;

    Optional<RecordingInfo> find(String id);
}
