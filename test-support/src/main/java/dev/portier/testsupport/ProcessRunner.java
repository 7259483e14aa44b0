package dev.portier.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command to completion. Output goes through temporary files rather than pipes, so a
 * chatty process can never block on a full pipe and large output never sits in memory twice.
 */
final class ProcessRunner {

    private static final File DEV_NULL = new File("/dev/null");

    private ProcessRunner() {
    }

    /**
     * @param stdinBytes bytes fed to standard input, or {@code null}
     * @param stdinFile  file fed to standard input, or {@code null}; with neither, standard input is empty
     * @param stdoutFile where standard output goes, or {@code null} to capture it in the result
     * @param environment variables added to the inherited environment
     */
    static OpenSshClient.Result run(List<String> command, byte[] stdinBytes, Path stdinFile, Path stdoutFile,
            Map<String, String> environment, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            err = Files.createTempFile("portier-stderr-", ".txt");
            out = stdoutFile != null ? stdoutFile : Files.createTempFile("portier-stdout-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(stdinBytes != null ? ProcessBuilder.Redirect.PIPE
                            : stdinFile != null ? ProcessBuilder.Redirect.from(stdinFile.toFile())
                            : ProcessBuilder.Redirect.from(DEV_NULL));
            // A developer's agent must not change which key a test uses, nor an enclosing tmux a Pty.
            builder.environment().remove("SSH_AUTH_SOCK");
            builder.environment().remove("TMUX");
            builder.environment().putAll(environment);
            Process process = builder.start();
            Thread feeder = stdinBytes == null ? null : feed(process, stdinBytes);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: "
                        + String.join(" ", command) + "\nstderr:\n" + Files.readString(err));
            }
            if (feeder != null) {
                feeder.join();
            }
            String stdout = stdoutFile != null ? "" : Files.readString(out, StandardCharsets.UTF_8);
            return new OpenSshClient.Result(process.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(err);
            if (stdoutFile == null) {
                deleteQuietly(out);
            }
        }
    }

    static OpenSshClient.Result run(List<String> command, Duration timeout) {
        return run(command, null, null, null, Map.of(), timeout);
    }

    /** Ends a process and everything it started, e.g. the ssh a tmux or rsync spawned. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread feed(Process process, byte[] bytes) {
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(bytes);
            } catch (IOException e) {
                // The process may exit before reading all its input (a refused login, say); its exit status
                // and stderr already report that, so a broken pipe here carries no extra information.
            }
        }, "stdin-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return feeder;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temporary file " + file, e);
        }
    }
}
