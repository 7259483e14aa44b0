package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.ssh.relay.BridgeSpec;
import dev.portier.gateway.ssh.relay.ChannelBridge;
import dev.portier.gateway.ssh.relay.Downstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionAware;
import org.apache.sshd.server.command.AsyncCommand;

/**
 * One user channel (shell, exec or subsystem). Decides what it is for from the login and the request, then
 * either bridges it to a target, runs a Portier command, or shows the target menu. Translates only: every
 * decision comes from the {@link SessionBroker} and the access core.
 */
final class SessionChannel implements AsyncCommand, ChannelSessionAware, ChannelDataReceiver {
    private enum Mode { STARTING, RELAY, MENU, INLINE, DONE }

    private final SshFront front;
    private final String kind;
    private final String command;
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private ChannelSession channel;
    private IoOutputStream out;
    private IoOutputStream err;
    private ExitCallback exit;
    private Downstream down;
    private volatile Mode mode = Mode.STARTING;
    private volatile ChannelBridge bridge;
    private TargetMenu menu;
    private volatile InlineRequest inline;
    private BridgeSpec spec;
    private boolean earlyEof;

    SessionChannel(SshFront front, String kind, String command) {
        this.front = front;
        this.kind = kind;
        this.command = command;
    }

    @Override
    public void setChannelSession(ChannelSession session) {
        this.channel = session;
        // Take the input ourselves: MINA's default receivers either buffer without bound or need a pump thread.
        session.setDataReceiver(this);
    }

    @Override
    public void setIoOutputStream(IoOutputStream out) {
        this.out = out;
    }

    @Override
    public void setIoErrorStream(IoOutputStream err) {
        this.err = err;
    }

    @Override
    public void setIoInputStream(IoInputStream in) {
        // Input arrives through data(); see setChannelSession.
    }

    @Override
    public void setInputStream(InputStream in) {
        // Async command: streams are not used.
    }

    @Override
    public void setOutputStream(OutputStream out) {
        // Async command: streams are not used.
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // Async command: streams are not used.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession ch, Environment env) {
        down = new Downstream(ch, out, err, exit);
        GatewaySession gs = GatewaySession.of(ch.getServerSession());
        spec = specFrom(env);
        gs.channelStarted(down);
        env.addSignalListener((c, signal) -> onWindowChange(env), Signal.WINCH);
        Identity id = gs.identity();
        SshLogin login = gs.login();
        if (id == null || login == null) {
            down.printErr("portier: not authenticated\r\n");
            down.end(1, null);
            mode = Mode.DONE;
            return;
        }
        if (login.hasTarget()) {
            startRelay(gs, login.target(), login.account(), spec);
        } else if (kind.equals("exec")) {
            mode = Mode.DONE;
            drainEarly();
            // Commands may touch the database or wait for an approval: never on the I/O thread.
            front.commandPool().execute(() -> runCommand(id, ch));
        } else if (kind.equals("shell")) {
            menu = new TargetMenu(id, front.context().policies().reachable(id), front.commands(), spec.pty(),
                    down::print, (account, target) -> startRelay(gs, target, account,
                            new BridgeSpec("shell", null, spec.term(), spec.columns(), spec.rows(), spec.ptyModes(),
                                    spec.env())),
                    status -> {
                        mode = Mode.DONE;
                        down.end(status, null);
                    });
            mode = Mode.MENU;
            menu.show();
            drainEarly();
        } else {
            down.printErr("portier: name a target for " + command + ", e.g. sftp -P 2222 " + id.user()
                    + "#<target>@<portier-host>\r\n");
            down.end(1, null);
            mode = Mode.DONE;
        }
    }

    private void runCommand(Identity id, ChannelSession ch) {
        boolean pty = spec.pty();
        CommandIO io = new CommandIO() {
            @Override
            public void out(String text) {
                down.print(pty ? text.replace("\n", "\r\n") : text);
            }

            @Override
            public void err(String text) {
                down.printErr(pty ? text.replace("\n", "\r\n") : text);
            }

            @Override
            public boolean open() {
                return !down.ended() && ch.isOpen();
            }
        };
        int status;
        try {
            status = front.commands().run(id, command, io);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        } catch (RuntimeException e) {
            io.err("portier: the command failed (" + e.getClass().getSimpleName() + "); see the gateway log\n");
            org.slf4j.LoggerFactory.getLogger(SessionChannel.class).error("command failed for {}", id.user(), e);
            status = 1;
        }
        down.end(status, null);
    }

    private void startRelay(GatewaySession gs, String target, String account, BridgeSpec s) {
        synchronized (early) {
            mode = Mode.STARTING;
        }
        // The decision may read the access store: off the I/O thread. Input meanwhile waits in `early`.
        front.worker().execute(() -> relay(gs, target, account, s));
    }

    private void relay(GatewaySession gs, String target, String account, BridgeSpec s) {
        ChannelBridge b;
        try {
            b = front.broker().open(gs, target, account, s, down, (t, a, message) -> offerInline(gs, t, a,
                    message, s)).orElse(null);
        } catch (RuntimeException e) {
            // An unexpected failure (say, the access store went away mid-check) refuses the session, visibly.
            org.slf4j.LoggerFactory.getLogger(SessionChannel.class).error("[{}] session start failed", gs.id(), e);
            down.printErr("portier: the session could not be started (" + e.getClass().getSimpleName()
                    + "); nothing was opened, try again or tell a Portier administrator\r\n");
            down.end(1, null);
            b = null;
        }
        if (b == null) {
            synchronized (early) {
                if (mode != Mode.INLINE) {
                    mode = Mode.DONE;
                }
            }
            drainEarly();
            return;
        }
        synchronized (early) {
            bridge = b;
            mode = Mode.RELAY;
            while (!early.isEmpty()) {
                byte[] d = early.poll();
                b.input(d, 0, d.length);
            }
            if (earlyEof) {
                b.userEof();
            }
        }
    }

    private void drainEarly() {
        synchronized (early) {
            while (!early.isEmpty()) {
                byte[] d = early.poll();
                if (mode == Mode.MENU) {
                    menu.input(d, 0, d.length);
                } else if (mode == Mode.INLINE) {
                    inline.input(d, 0, d.length);
                }
                down.release(d.length);
            }
        }
    }

    /** A request would cure the denial: in an interactive shell, offer to file it right here. */
    private boolean offerInline(GatewaySession gs, String target, String account, String message, BridgeSpec s) {
        if (!kind.equals("shell") || !s.pty() || front.context().access() == null) {
            return false;
        }
        synchronized (early) {
            inline = new InlineRequest(gs.identity(), target, account, message, front.context().access(),
                    front.commandPool(), down::print, () -> startRelay(gs, target, account, s), status -> {
                        mode = Mode.DONE;
                        down.end(status, null);
                    });
            mode = Mode.INLINE;
        }
        drainEarly();
        return true;
    }

    private BridgeSpec specFrom(Environment env) {
        Map<String, String> vars = env.getEnv();
        String term = vars.get(Environment.ENV_TERM);
        int cols = parse(vars.get(Environment.ENV_COLUMNS), 80);
        int rows = parse(vars.get(Environment.ENV_LINES), 24);
        Map<String, String> forwarded = new LinkedHashMap<>();
        vars.forEach((k, v) -> {
            // Only locale settings cross: anything else could change the target's behaviour (LD_*, PATH...).
            if (k.equals("LANG") || k.startsWith("LC_")) {
                forwarded.put(k, v);
            }
        });
        return new BridgeSpec(kind, command, term, cols, rows, term == null ? null : env.getPtyModes(), forwarded);
    }

    private static int parse(String s, int dflt) {
        try {
            int v = s == null ? dflt : Integer.parseInt(s.trim());
            return v > 0 && v < 10_000 ? v : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void onWindowChange(Environment env) {
        Map<String, String> vars = env.getEnv();
        int cols = parse(vars.get(Environment.ENV_COLUMNS), spec.columns());
        int rows = parse(vars.get(Environment.ENV_LINES), spec.rows());
        spec = spec.resized(cols, rows);
        ChannelBridge b = bridge;
        if (b != null) {
            b.resize(cols, rows);
        }
    }

    @Override
    public int data(ChannelSession ch, byte[] buf, int start, int len) {
        synchronized (early) {
            switch (mode) {
                case RELAY -> {
                    bridge.input(buf, start, len);
                    return 0;
                }
                case MENU -> {
                    menu.input(buf, start, len);
                    return len;
                }
                case INLINE -> {
                    inline.input(buf, start, len);
                    return len;
                }
                case STARTING -> {
                    early.add(Arrays.copyOfRange(buf, start, start + len));
                    return 0;
                }
                default -> {
                    return len;
                }
            }
        }
    }

    @Override
    public void close() {
        // The user sent EOF (or the channel is closing).
        synchronized (early) {
            ChannelBridge b = bridge;
            if (b != null) {
                b.userEof();
            } else {
                earlyEof = true;
            }
        }
    }

    @Override
    public void destroy(ChannelSession ch) {
        if (down != null) {
            GatewaySession.of(ch.getServerSession()).channelEnded(down);
        }
        ChannelBridge b = bridge;
        if (b != null) {
            b.userGone();
        }
        mode = Mode.DONE;
    }
}
