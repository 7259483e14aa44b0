package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real asciinema player accepts Portier's recordings. {@code asciinema cat} and {@code play} insist on
 * a terminal, so they run under {@code script(1)}, which gives them a pseudo-terminal.
 */
class AsciinemaCompatibilityTest {
    @TempDir
    Path data;

    @Test
    void asciinemaCatAndPlayAcceptAnExportedRecording() throws Exception {
        Path asciinema = findExecutable("asciinema");
        Path script = findExecutable("script");
        String text = "hello from portier \u2713";
        Path exported = data.resolve("session.cast");
        Path stored;
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"))) {
            SessionRecorder r = store.open(RecordingStoreTest.meta(true), e -> { });
            RecordingStoreTest.write(r, "$ ", false);
            RecordingStoreTest.write(r, "echo hi\r", true);
            r.resize(100, 30);
            byte[] out = (text + "\r\n").getBytes(StandardCharsets.UTF_8);
            r.output(out, 0, 20); // splits the check mark across two chunks
            r.output(out, 20, out.length - 20);
            r.event("sftp.open", Map.of("path", "/tmp/f"));
            r.close(0, "exit");
            String id = store.list().get(0).id();
            try (OutputStream file = Files.newOutputStream(exported)) {
                store.export(id, file);
            }
            stored = store.castFile(id);
        }

        for (String command : List.of("cat", "play -s 50")) {
            for (Path cast : List.of(exported, stored)) {
                Result result = run(script, asciinema + " " + command + " '" + cast + "'");
                assertEquals(0, result.exitStatus(), command + " " + cast + ": " + result.output());
                assertTrue(result.output().contains(text), result.output());
                assertTrue(result.output().contains("[portier] sftp.open path=/tmp/f"), result.output());
                assertTrue(!result.output().contains("echo hi"), "input events are not played: " + result.output());
            }
        }
    }

    @Test
    void asciinemaCatAcceptsTheExportOfAnEncryptedRecordingAndNotTheStoredFile() throws Exception {
        Path asciinema = findExecutable("asciinema");
        Path script = findExecutable("script");
        String text = "encrypted at rest \u2713";
        Path exported = data.resolve("session.cast");
        Path stored;
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"),
                dev.portier.recorder.seal.EvidenceSigner.generate(), RecorderSettings.DEFAULTS,
                new dev.portier.recorder.crypt.TestKeys(), true)) {
            SessionRecorder r = store.open(RecordingStoreTest.meta(false), e -> { });
            RecordingStoreTest.write(r, text + "\r\n", false);
            r.event("sftp.open", Map.of("path", "/tmp/f"));
            r.close(0, "exit");
            String id = store.list().get(0).id();
            try (OutputStream file = Files.newOutputStream(exported)) {
                store.export(id, file);
            }
            stored = store.castFile(id);
        }
        Result result = run(script, asciinema + " cat '" + exported + "'");
        assertEquals(0, result.exitStatus(), result.output());
        assertTrue(result.output().contains(text), result.output());
        assertTrue(result.output().contains("[portier] sftp.open path=/tmp/f"), result.output());
        Result raw = run(script, asciinema + " cat '" + stored + "'");
        assertTrue(raw.exitStatus() != 0 && !raw.output().contains(text), "the stored file is no asciicast: "
                + raw.output());
    }

    private record Result(int exitStatus, String output) {
    }

    private static Result run(Path script, String commandLine) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", commandLine, "/dev/null")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("LANG", "C.UTF-8");
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "asciinema finished");
        return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path findExecutable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/bin:/bin";
        Optional<Path> found = Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        assumeTrue(found.isPresent(), name + " is not installed (expected at /usr/bin/" + name
                + "); install the Debian package (asciinema; script is in bsdutils) to run this test");
        return found.get();
    }
}
