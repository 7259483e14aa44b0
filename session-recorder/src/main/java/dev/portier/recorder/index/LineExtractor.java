package dev.portier.recorder.index;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.events.RecordingEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a recording's events into its searchable lines: output ({@code o}) through {@link OutputLines},
 * input ({@code i}, present only when input was recorded, already masked at password prompts) through
 * {@link CommandLines}, and the command of an exec channel as a command at offset 0. It only ever sees what
 * the recording holds, so the index can hold nothing more.
 */
final class LineExtractor implements RecordingEvents.Handler {
    private final RecordingInfo info;
    private final IndexLimits limits;
    private final List<IndexedLine> commands = new ArrayList<>();
    private final List<IndexedLine> output = new ArrayList<>();
    private final OutputLines outputLines;
    private final CommandLines commandLines;
    private boolean truncated;

    LineExtractor(RecordingInfo info, IndexLimits limits) {
        this.info = info;
        this.limits = limits;
        this.outputLines = new OutputLines(limits.maxLineChars(), (t, text) -> add(output, IndexedLine.Kind.OUTPUT, t,
                text));
        this.commandLines = new CommandLines(limits.maxLineChars(), (t, text) -> add(commands,
                IndexedLine.Kind.COMMAND, t, text));
    }

    @Override
    public void header(JsonNode header) {
        String command = execCommand(header.path("title").asText(""));
        if (command != null) {
            commandLines.command(0, command);
        }
    }

    /**
     * The plain export keeps only the standard asciicast keys; the exec command survives in the title the
     * recorder writes, {@code user -> account@target (channel: command)}, whose prefix is known here.
     */
    private String execCommand(String title) {
        if (info.user() == null || info.account() == null || info.target() == null) {
            return null;
        }
        String prefix = info.user() + " -> " + info.account() + "@" + info.target() + " (";
        if (!title.startsWith(prefix) || !title.endsWith(")")) {
            return null;
        }
        String what = title.substring(prefix.length(), title.length() - 1);
        int colon = what.indexOf(": ");
        return colon < 0 ? null : what.substring(colon + 2);
    }

    @Override
    public boolean event(double time, String type, String data) {
        long millis = Double.isFinite(time) && time > 0 ? Math.round(time * 1000) : 0;
        if ("o".equals(type)) {
            outputLines.feed(millis, data);
        } else if ("i".equals(type)) {
            commandLines.feed(millis, data);
        }
        if (commands.size() >= limits.maxLinesPerKind() && output.size() >= limits.maxLinesPerKind()) {
            // Both kinds are full: the rest of the recording adds nothing, so it is not read.
            truncated = true;
            return false;
        }
        return true;
    }

    private void add(List<IndexedLine> to, IndexedLine.Kind kind, long millis, String text) {
        if (to.size() >= limits.maxLinesPerKind()) {
            truncated = true;
            return;
        }
        to.add(new IndexedLine(kind, millis, text));
    }

    /** The lines in time order (commands before output at the same instant); call once, after the read. */
    List<IndexedLine> lines() {
        outputLines.finish();
        List<IndexedLine> all = new ArrayList<>(commands.size() + output.size());
        all.addAll(commands);
        all.addAll(output);
        all.sort(Comparator.comparingLong(IndexedLine::offsetMillis));
        return all;
    }

    boolean truncated() {
        return truncated;
    }
}
