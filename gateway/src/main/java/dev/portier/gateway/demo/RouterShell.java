package dev.portier.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;

/**
 * An interactive CLI session. With a PTY the client's terminal is raw, so this class echoes and edits lines
 * ({@link LineEditor}) and ends lines with CRLF; without one (e.g. {@code ssh -T} fed by a script) it reads lines
 * silently and ends them with LF.
 */
final class RouterShell extends DeviceCommand {

    private final String hostname;
    private final Instant bootTime;
    private final Clock clock;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private RouterCli cli;
    private LineEditor editor;
    private boolean pty;
    private boolean awaitingEnablePassword;

    RouterShell(ExecutorService workers, String hostname, Instant bootTime, Clock clock) {
        super(workers);
        this.hostname = hostname;
        this.bootTime = bootTime;
        this.clock = clock;
    }

    @Override
    protected int run(Environment env) throws IOException {
        // MINA records the terminal type only from a pty-req.
        pty = env.getEnv().containsKey(Environment.ENV_TERM);
        cli = new RouterCli(hostname, bootTime, clock, true);
        editor = new LineEditor(pending, pty);
        print("\n" + hostname + " - simulated network device (Portier demo). Type ? for help.\n\n" + cli.prompt());
        flush();
        byte[] buffer = new byte[1024];
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                LineEditor.Event event = editor.accept(buffer[i] & 0xff);
                if (event != null && handle(event)) {
                    flush();
                    return 0;
                }
            }
            flush();
        }
    }

    /** Acts on one completed key press; returns true when the session ends. */
    private boolean handle(LineEditor.Event event) {
        if (event instanceof LineEditor.Line line) {
            return handleLine(line.text());
        }
        if (event instanceof LineEditor.EndOfInput) {
            print("\n");
            return true;
        }
        if (event instanceof LineEditor.Suspend) {
            print(pty ? "^Z\n" : "\n");
            if (!awaitingEnablePassword) {
                cli.suspend();
            }
        } else {
            print(pty ? "^C\n" : "\n");
        }
        awaitingEnablePassword = false;
        editor.echo(pty);
        print(cli.prompt());
        return false;
    }

    private boolean handleLine(String text) {
        if (awaitingEnablePassword) {
            awaitingEnablePassword = false;
            editor.echo(pty);
            print(pty ? "\n" : "");
            cli.enable();
            print(cli.prompt());
            return false;
        }
        RouterCli.Reply reply = cli.execute(text);
        print(reply.output());
        switch (reply.action()) {
            case CLOSE -> {
                return true;
            }
            case ASK_ENABLE_PASSWORD -> {
                awaitingEnablePassword = true;
                editor.echo(false);
                print(DevicePasswordAuthenticator.PROMPT);
            }
            case NONE -> print(cli.prompt());
        }
        return false;
    }

    private void print(String text) {
        pending.writeBytes(utf8(pty ? text.replace("\n", "\r\n") : text));
    }

    private void flush() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
            out.flush();
        }
    }
}
