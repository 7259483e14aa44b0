package dev.portier.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.StreamingChannel;

/** A shell channel driven like a terminal: type bytes, wait for text in the output, read the exit status. */
final class MinaTerminal implements AutoCloseable {

    private final ChannelShell shell;
    private final OutputStream keyboard;
    private final StringBuffer screen = new StringBuffer();
    private final Thread reader;
    private int mark;

    private MinaTerminal(ChannelShell shell) {
        this.shell = shell;
        this.keyboard = shell.getInvertedIn();
        InputStream output = shell.getInvertedOut();
        this.reader = new Thread(() -> pump(output), "terminal-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a shell, with an xterm PTY of 80x24 when {@code pty}. */
    static MinaTerminal open(ClientSession session, boolean pty) throws IOException {
        ChannelShell shell = session.createShellChannel();
        shell.setUsePty(pty);
        shell.setPtyType("xterm");
        shell.setPtyColumns(80);
        shell.setPtyLines(24);
        shell.setStreaming(StreamingChannel.Streaming.Sync);
        shell.setRedirectErrorStream(true);
        shell.open().verify(Duration.ofSeconds(10));
        return new MinaTerminal(shell);
    }

    MinaTerminal send(String keys) {
        try {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code regex} after the previous match; returns the output up to the end of the match. */
    String expect(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = screen.toString();
            Matcher matcher = pattern.matcher(text);
            if (matcher.find(mark)) {
                String seen = text.substring(mark, matcher.end());
                mark = matcher.end();
                return seen;
            }
            sleep();
        }
        throw new AssertionError("no " + regex + " within " + timeout + "; output so far:\n" + screen);
    }

    /** Everything received so far. */
    String output() {
        return screen.toString();
    }

    /** Waits for the channel to close; returns its exit status. */
    Integer awaitExit(Duration timeout) {
        shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        return shell.getExitStatus();
    }

    @Override
    public void close() throws IOException {
        shell.close(true);
    }

    private void pump(InputStream output) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = output.read(buffer)) >= 0; ) {
                screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            screen.append("\n[read failed: ").append(e).append(']');
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
