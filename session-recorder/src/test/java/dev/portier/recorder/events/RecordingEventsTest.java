package dev.portier.recorder.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingEventsTest {
    @TempDir
    Path data;
    private RecordingStore store;

    @BeforeEach
    void open() {
        store = new RecordingStore(data.resolve("recordings"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String record(String... outputs) throws Exception {
        SessionRecorder r = store.open(new RecordingMetadata("s-1", "alice", "srv-1", "root", "shell", null, 80, 24,
                "xterm", Instant.now(), true), e -> { });
        for (String o : outputs) {
            byte[] b = o.getBytes(StandardCharsets.UTF_8);
            r.output(b, 0, b.length);
            Thread.sleep(30); // separate events, not one coalesced chunk
        }
        r.close(0, "exit");
        return store.list().get(0).id();
    }

    @Test
    void eventsArriveInOrderWithThePlainHeader() throws Exception {
        String id = record("one\r\n", "two \u00e9\r\n");
        List<String> seen = new ArrayList<>();
        RecordingEvents.read(store, id, new RecordingEvents.Handler() {
            @Override
            public void header(com.fasterxml.jackson.databind.JsonNode header) {
                seen.add("header " + header.path("version").asInt() + " " + header.has("portier"));
            }

            @Override
            public boolean event(double time, String type, String data) {
                seen.add(type + ":" + data);
                return true;
            }
        });
        assertEquals(List.of("header 2 false", "o:one\r\n", "o:two \u00e9\r\n"), seen);
    }

    @Test
    void theHandlerCanStopTheRead() throws Exception {
        String id = record("a\n", "b\n", "c\n");
        List<String> seen = new ArrayList<>();
        RecordingEvents.read(store, id, (t, type, d) -> {
            seen.add(d);
            return false;
        });
        assertEquals(List.of("a\n"), seen);
    }

    @Test
    void aLineCutByACrashAtTheEndIsIgnored() throws Exception {
        String id = record("kept\n");
        Files.writeString(store.castFile(id), "[9.0, \"o\", \"cut", StandardOpenOption.APPEND);
        List<String> seen = new ArrayList<>();
        RecordingEvents.read(store, id, (t, type, d) -> seen.add(d));
        assertEquals(List.of("kept\n"), seen);
    }

    @Test
    void aLineThatIsNotAnEventFailsTheRead() throws Exception {
        String id = record("kept\n");
        Files.writeString(store.castFile(id), "{\"not\":\"an event\"}\n", StandardOpenOption.APPEND);
        assertThrows(java.io.IOException.class, () -> RecordingEvents.read(store, id, (t, type, d) -> true));
    }

    @Test
    void anUnknownRecordingIsNoSuchFile() {
        assertThrows(NoSuchFileException.class,
                () -> RecordingEvents.read(store, "20200101T000000Z-00000000", (t, type, d) -> true));
    }
}
