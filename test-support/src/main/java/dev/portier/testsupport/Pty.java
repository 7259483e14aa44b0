package dev.portier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A program in a real pseudo-terminal, as a person at a terminal would run it: it runs in a private tmux
 * server (own socket, own config), so the test reads the rendered screen (escape sequences already applied)
 * and can resize the window.
 *
 * <pre>{@code
 * try (Pty pty = Pty.start(client.withArgs("-tt").sshCommandLine())) {
 *     pty.expect("router>", Duration.ofSeconds(10));
 *     pty.sendLine("show version");
 *     String output = pty.expect("router>", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Pty implements AutoCloseable {

    private static final Duration TMUX_TIMEOUT = Duration.ofSeconds(10);
    private static final String SESSION = "pty";
    /** Empty rows below the cursor; trailing spaces on the last row stay, a prompt often ends with one. */
    private static final Pattern TRAILING_BLANK_LINES = Pattern.compile("(\\n[ \\t]*)+\\z");

    private final Path dir;
    private final Path socket;
    private int mark;
    private boolean closed;

    private Pty(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("tmux.sock");
    }

    /** Starts {@code command} in a 120x40 terminal. */
    public static Pty start(List<String> command) {
        return start(command, 120, 40);
    }

    public static Pty start(List<String> command, int columns, int rows) {
        try {
            Path dir = Files.createTempDirectory("portier-pty-").toAbsolutePath();
            Files.write(dir.resolve("tmux.conf"), List.of(
                    "set -g remain-on-exit on",
                    "set -g default-shell /bin/sh",
                    "set -g status off",
                    "set -g history-limit 50000"));
            Pty pty = new Pty(dir);
            pty.tmux("-f", dir.resolve("tmux.conf").toString(), "new-session", "-d", "-s", SESSION,
                    "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                    shellQuote(command) + "; echo $? > " + shellQuote(List.of(pty.statusFile() + ".tmp"))
                            + " && mv " + shellQuote(List.of(pty.statusFile() + ".tmp", pty.statusFile().toString())));
            return pty;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for tmux", e);
        }
    }

    /** Types {@code text} literally; control characters work too: {@code "\r"} is Enter, char 3 is Ctrl-C. */
    public Pty send(String text) {
        tmux("send-keys", "-t", SESSION, "-l", "--", text);
        return this;
    }

    /** Types {@code line} and Enter (a carriage return, as a terminal sends it). */
    public Pty sendLine(String line) {
        return send(line + "\r");
    }

    /** Presses keys by their tmux names: {@code "Enter"}, {@code "C-c"}, {@code "BSpace"}, {@code "Up"}. */
    public Pty key(String... keyNames) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keyNames));
        tmux(args.toArray(String[]::new));
        return this;
    }

    /**
     * Waits until {@code regex} (multi-line mode) appears in the text written after the previous match, like
     * expect(1), and returns that text up to the end of the match. Fails with the screen when it does not
     * appear in time. Full-screen programs that clear the screen defeat the "after the previous match" rule:
     * use {@link #expectOnScreen} for those.
     */
    public String expect(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        return poll(regex, timeout, () -> {
            String text = screen();
            Matcher matcher = pattern.matcher(text);
            if (mark <= text.length() && matcher.find(mark)) {
                String seen = text.substring(mark, matcher.end());
                mark = matcher.end();
                return seen;
            }
            return null;
        });
    }

    /** Waits until {@code regex} appears anywhere on the screen or in the scrollback; returns the whole text. */
    public String expectOnScreen(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        return poll(regex, timeout, () -> {
            String text = screen();
            return pattern.matcher(text).find() ? text : null;
        });
    }

    /** The scrollback and visible screen as plain text, wrapped lines joined, empty rows at the bottom removed. */
    public String screen() {
        return TRAILING_BLANK_LINES.matcher(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION).stdout())
                .replaceFirst("");
    }

    /** Resizes the terminal; the program gets SIGWINCH (ssh forwards it as a window-change request). */
    public void resize(int columns, int rows) {
        tmux("resize-window", "-t", SESSION, "-x", Integer.toString(columns), "-y", Integer.toString(rows));
    }

    /** The program's exit status once it has ended, empty while it runs. */
    public OptionalInt exitStatus() {
        // A shell around the program records its status: tmux's #{pane_dead_status} is at times left empty.
        try {
            Path status = statusFile();
            return Files.exists(status)
                    ? OptionalInt.of(Integer.parseInt(Files.readString(status).strip()))
                    : OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exit status in " + dir, e);
        }
    }

    /** Waits for the program to end and returns its exit status. */
    public int awaitExit(Duration timeout) {
        return poll("the program to exit", timeout, () -> {
            OptionalInt status = exitStatus();
            return status.isPresent() ? status.getAsInt() : null;
        });
    }

    /** Kills the tmux server, and with it the program (SIGHUP), then removes the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ProcessRunner.run(List.of("tmux", "-S", socket.toString(), "kill-server"), TMUX_TIMEOUT);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private Path statusFile() {
        return dir.resolve("exit-status");
    }

    private interface Probe<T> {
        T attempt();
    }

    private <T> T poll(String what, Duration timeout, Probe<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = probe.attempt();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what
                        + "; the terminal shows:\n" + screen());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private OpenSshClient.Result tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(args));
        OpenSshClient.Result result = ProcessRunner.run(command, TMUX_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + result.stderr());
        }
        return result;
    }

    private static String shellQuote(List<String> command) {
        List<String> quoted = new ArrayList<>();
        for (String arg : command) {
            quoted.add("'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
