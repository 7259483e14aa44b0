package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A parsed asciicast v2 file, checked strictly as it is read. */
record Cast(JsonNode header, List<Event> events) {
    static final ObjectMapper JSON = new ObjectMapper();

    record Event(double time, String code, String data) {
    }

    static Cast parse(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Cast parse(String text) throws IOException {
        assertTrue(text.endsWith("\n"), "every line ends with a newline");
        String[] lines = text.split("\n", -1);
        JsonNode header = JSON.readTree(lines[0]);
        assertEquals(2, header.get("version").asInt());
        List<Event> events = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            JsonNode e = JSON.readTree(lines[i]);
            assertTrue(e.isArray() && e.size() == 3, "event line " + i + ": " + lines[i]);
            assertTrue(e.get(0).isNumber() && e.get(1).isTextual() && e.get(2).isTextual(), lines[i]);
            events.add(new Event(e.get(0).asDouble(), e.get(1).asText(), e.get(2).asText()));
        }
        return new Cast(header, events);
    }

    /** The text of all events of one code, concatenated. */
    String text(String code) {
        return events.stream().filter(e -> e.code().equals(code)).map(Event::data).collect(Collectors.joining());
    }

    List<Event> of(String code) {
        return events.stream().filter(e -> e.code().equals(code)).toList();
    }
}
