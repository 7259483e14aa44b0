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
 * {@code portier export <id> [-o FILE]}: a plain asciicast v2 file, decrypted with the data directory's master key
 * when the recording is encrypted. With {@code -o}, the file appears only once complete: a recording that fails to
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

    @Override
    public Integer call() throws Exception {
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            if (store.find(id).isEmpty()) {
                throw new PortierCli.CliException("no recording " + id + "; run: portier recordings list", 1);
            }
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
