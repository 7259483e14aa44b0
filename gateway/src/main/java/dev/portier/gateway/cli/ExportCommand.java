package dev.portier.gateway.cli;

import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.crypt.RecordingCryptoException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier export <id> [-o FILE] [--as AUDITOR]}: a plain asciicast v2 file, decrypted with the data
 * directory's master key when the recording is encrypted; audited ({@code recording.exported}) before anything is
 * written. With {@code -o}, the file appears only once complete: a recording that fails to
 * decrypt half-way leaves no file.
 */
@Command(name = "export", description = "Write a recording as plain asciicast v2 (stdout unless -o).")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id>")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE")
    Path output;

    @Option(names = "--as", paramLabel = "AUDITOR",
            description = "who exports, recorded as the actor (default: the operating-system user)")
    String as;

    @Override
    public Integer call() throws Exception {
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            var recording = store.find(id).orElseThrow(() -> new PortierCli.CliException("no recording " + id
                    + "; run: portier recordings list", 1));
            // Who took evidence out, before any byte leaves (fail closed).
            CliAudit.recordingRead(parent.dataDir(), "recording.exported", recording, as,
                    java.util.Map.of("to", output == null ? "stdout" : output.toAbsolutePath().toString()),
                    "nothing was exported");
            if (output == null) {
                OutputStream out = new BufferedOutputStream(System.out);
                try {
                    store.export(id, out);
                } finally {
                    out.flush();
                }
            } else {
                Path tmp = output.resolveSibling(output.getFileName() + ".part");
                try {
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                        store.export(id, out);
                    }
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                System.err.println("exported " + id + " to " + output);
            }
        } catch (RecordingCryptoException e) {
            throw new PortierCli.CliException("cannot export: " + e.getMessage(), 1);
        } catch (IOException e) {
            throw new PortierCli.CliException("cannot export recording " + id + ": " + e.getMessage(), 1);
        }
        return 0;
    }
}
