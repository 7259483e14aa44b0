package dev.portier.gateway.ssh.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.PtyChannelConfiguration;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one user channel to one target channel, byte for byte, with back-pressure both ways: user input
 * is acknowledged (window released) only once written to the target, and target output is read again only
 * once written to the user. No thread of its own; all work happens in MINA's I/O callbacks.
 *
 * <p>Input that arrives before the target channel is open waits here; the user's window bounds it.
 */
public final class ChannelBridge {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelBridge.class);

    private enum State { WAITING, OPEN, ENDED }

    private final String sessionId;
    private final Downstream down;
    private final ChannelTap tap;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final AtomicLong bytesFromUser = new AtomicLong();
    private final AtomicLong bytesFromTarget = new AtomicLong();
    private final AtomicInteger openParts = new AtomicInteger(3);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile BridgeSpec spec;
    private State state = State.WAITING;
    private boolean eofPending;
    private ClientChannel upstream;
    private AsyncWriter toTarget;

    public ChannelBridge(String sessionId, Downstream down, BridgeSpec spec, ChannelTap tap) {
        this.sessionId = sessionId;
        this.down = down;
        this.spec = spec;
        this.tap = tap;
    }

    public long bytesFromUser() {
        return bytesFromUser.get();
    }

    public long bytesFromTarget() {
        return bytesFromTarget.get();
    }

    /** Opens the target channel on an authenticated session and starts relaying. */
    public void attach(ClientSession session) {
        ClientChannel ch;
        try {
            ch = createChannel(session);
        } catch (IOException | RuntimeException e) {
            fail("cannot open a channel on the target (" + e.getClass().getSimpleName() + ")", e);
            return;
        }
        synchronized (lock) {
            if (state == State.ENDED) {
                ch.close(true);
                return;
            }
            upstream = ch;
        }
        try {
            ch.open().addListener(f -> {
                if (f.isOpened()) {
                    onOpened(ch);
                } else {
                    fail("the target refused the " + spec.kind() + " channel", f.getException());
                }
            });
        } catch (IOException e) {
            fail("cannot open a channel on the target", e);
        }
    }

    private ClientChannel createChannel(ClientSession session) throws IOException {
        PtyChannelConfiguration pty = new PtyChannelConfiguration();
        if (spec.pty()) {
            pty.setPtyType(spec.term());
            pty.setPtyColumns(spec.columns());
            pty.setPtyLines(spec.rows());
            pty.setPtyModes(spec.ptyModes());
        }
        ClientChannel ch;
        switch (spec.kind()) {
            case "shell" -> {
                ChannelShell shell = session.createShellChannel(pty, spec.env());
                shell.setUsePty(spec.pty());
                ch = shell;
            }
            case "exec" -> {
                ChannelExec exec = session.createExecChannel(spec.command(), spec.pty() ? pty : null, spec.env());
                exec.setUsePty(spec.pty());
                ch = exec;
            }
            case "subsystem" -> ch = session.createSubsystemChannel(spec.command());
            default -> throw new IllegalStateException("unknown channel kind " + spec.kind());
        }
        ch.setStreaming(StreamingChannel.Streaming.Async);
        ch.setRedirectErrorStream(false);
        return ch;
    }

    private void onOpened(ClientChannel ch) {
        ch.addCloseFutureListener(f -> partDone());
        toTarget = new AsyncWriter(ch.getAsyncIn(), e -> fail("writing to the target failed", e));
        new OutputPump(ch.getAsyncOut(), down.out(), targetTap(false), pumpListener()).start();
        new OutputPump(ch.getAsyncErr(), down.err(), targetTap(true), pumpListener()).start();
        boolean eof;
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            state = State.OPEN;
            while (!pending.isEmpty()) {
                send(pending.poll());
            }
            eof = eofPending;
        }
        if (eof) {
            toTarget.closeAfterPending(() -> { });
        }
    }

    private OutputPump.Listener pumpListener() {
        return new OutputPump.Listener() {
            @Override
            public void onEof() {
                partDone();
            }

            @Override
            public void onError(Throwable error) {
                fail(error instanceof RecorderFailure ? error.getMessage() : "relaying from the target failed", error);
            }
        };
    }

    private OutputPump.Tap targetTap(boolean stderr) {
        return new OutputPump.Tap() {
            @Override
            public void chunk(byte[] data, int offset, int length) throws RecorderFailure {
                fromTarget(data, offset, length, stderr);
            }

            @Override
            public void whenReady(Runnable resume) {
                tap.whenReady(resume);
            }
        };
    }

    private void fromTarget(byte[] b, int off, int n, boolean stderr) throws RecorderFailure {
        bytesFromTarget.addAndGet(n);
        try {
            tap.fromTarget(b, off, n, stderr);
        } catch (Exception e) {
            throw new RecorderFailure(e);
        }
    }

    /** Bytes the user sent; copied, because MINA reuses its buffer. */
    public void input(byte[] data, int off, int len) {
        byte[] copy = Arrays.copyOfRange(data, off, off + len);
        synchronized (lock) {
            switch (state) {
                case WAITING -> pending.add(copy);
                case OPEN -> send(copy);
                case ENDED -> down.release(len);
                default -> throw new IllegalStateException();
            }
        }
    }

    private void send(byte[] copy) {
        try {
            tap.fromUser(copy, 0, copy.length);
        } catch (Exception e) {
            fail(new RecorderFailure(e).getMessage(), e);
            return;
        }
        bytesFromUser.addAndGet(copy.length);
        toTarget.write(new ByteArrayBuffer(copy), () -> down.release(copy.length));
    }

    /** The user sent EOF: pass it on after pending input. */
    public void userEof() {
        synchronized (lock) {
            if (state == State.WAITING) {
                eofPending = true;
                return;
            }
            if (state != State.OPEN) {
                return;
            }
        }
        toTarget.closeAfterPending(() -> { });
    }

    /** The user's terminal changed size. */
    public void resize(int columns, int rows) {
        spec = spec.resized(columns, rows);
        try {
            tap.resized(columns, rows);
        } catch (Exception e) {
            fail(new RecorderFailure(e).getMessage(), e);
            return;
        }
        ClientChannel ch;
        synchronized (lock) {
            ch = state == State.OPEN ? upstream : null;
        }
        if (ch instanceof ChannelShell shell && spec.pty()) {
            sendWindowChange(shell, columns, rows);
        } else if (ch instanceof ChannelExec exec && spec.pty()) {
            sendWindowChange(exec, columns, rows);
        }
    }

    private void sendWindowChange(org.apache.sshd.client.channel.PtyCapableChannelSession ch, int columns, int rows) {
        try {
            ch.sendWindowChange(columns, rows);
        } catch (IOException e) {
            LOG.debug("[{}] window change not sent: {}", sessionId, e.toString());
        }
    }

    private void partDone() {
        if (openParts.decrementAndGet() == 0) {
            ClientChannel ch = upstream;
            finish(ch.getExitStatus(), ch.getExitSignal(), "target closed the channel");
        }
    }

    private void finish(Integer exitStatus, String exitSignal, String reason) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            state = State.ENDED;
            pending.clear();
        }
        tap.closed(exitStatus, exitSignal, reason);
        down.end(exitStatus, exitSignal);
    }

    /** Ends the channel with a message to the user (stderr); the target side is closed at once. */
    public void fail(String message, Throwable cause) {
        if (finished.get()) {
            return;
        }
        LOG.warn("[{}] {}{}", sessionId, message, cause == null ? "" : " (" + cause + ")");
        down.printErr("\r\nportier: " + message + "\r\n");
        closeUpstream();
        finish(255, null, message);
    }

    /** Ends the channel on Portier's initiative (shutdown, revocation) with a message to the user. */
    public void terminate(String message) {
        fail(message, null);
    }

    /** The user's channel went away: drop the target side. */
    public void userGone() {
        closeUpstream();
        if (finished.compareAndSet(false, true)) {
            synchronized (lock) {
                state = State.ENDED;
                pending.clear();
            }
            tap.closed(null, null, "user disconnected");
        }
    }

    private void closeUpstream() {
        ClientChannel ch;
        synchronized (lock) {
            ch = upstream;
        }
        if (ch != null) {
            ch.close(true);
        }
    }

    /** A recording or evidence write failed: the session must end (fail closed). */
    static final class RecorderFailure extends Exception {
        RecorderFailure(Throwable cause) {
            super("recording failed, so the session is closed (Portier allows no unrecorded session): "
                    + cause.getMessage(), cause);
        }
    }
}
