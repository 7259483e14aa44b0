package dev.portier.gateway.ssh.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's side of a channel: ordered async writes to stdout and stderr, window release for input, and
 * ending the channel with an exit status or signal once everything written has left.
 */
public final class Downstream {
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

    private final ChannelSession channel;
    private final AsyncWriter out;
    private final AsyncWriter err;
    private final ExitCallback exit;
    private volatile boolean ended;

    public Downstream(ChannelSession channel, IoOutputStream out, IoOutputStream err, ExitCallback exit) {
        this.channel = channel;
        Consumer<Throwable> onError = e -> {
            LOG.debug("write to user failed on {}: {}", channel, e.toString());
            channel.close(true);
        };
        this.out = new AsyncWriter(out, onError);
        this.err = new AsyncWriter(err, onError);
        this.exit = exit;
    }

    AsyncWriter out() {
        return out;
    }

    AsyncWriter err() {
        return err;
    }

    public ChannelSession channel() {
        return channel;
    }

    /** Writes text to the user's stdout (terminal line endings are the caller's business). */
    public void print(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(new ByteArrayBuffer(b), () -> { });
    }

    /** Writes text to the user's stderr: for Portier's own messages, so they never mix into piped output. */
    public void printErr(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        err.write(new ByteArrayBuffer(b), () -> { });
    }

    /** Gives {@code n} bytes of input window back to the user (the bytes were handed on). */
    public void release(int n) {
        try {
            channel.getLocalWindow().release(n);
        } catch (IOException e) {
            LOG.debug("window release failed on {}: {}", channel, e.toString());
            channel.close(true);
        }
    }

    public boolean ended() {
        return ended;
    }

    /**
     * Ends the channel after every pending write: with the target's exit signal if it died of one, else
     * with its exit status, else by closing.
     */
    public void end(Integer exitStatus, String exitSignal) {
        if (ended) {
            return;
        }
        ended = true;
        out.whenDrained(() -> err.whenDrained(() -> finish(exitStatus, exitSignal)));
    }

    private void finish(Integer exitStatus, String exitSignal) {
        try {
            if (exitSignal != null) {
                sendExitSignal(exitSignal);
                channel.close(false);
            } else if (exitStatus != null) {
                exit.onExit(exitStatus);
            } else {
                channel.close(false);
            }
        } catch (IOException e) {
            LOG.debug("ending channel {} failed: {}", channel, e.toString());
            channel.close(true);
        }
    }

    /** MINA has no API for it (RFC 4254 6.10): signal name without "SIG", no core dump, no message. */
    private void sendExitSignal(String signal) throws IOException {
        Buffer buf = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 64);
        buf.putUInt(channel.getRecipient());
        buf.putString("exit-signal");
        buf.putBoolean(false);
        buf.putString(signal);
        buf.putBoolean(false);
        buf.putString("");
        buf.putString("");
        channel.writePacket(buf);
    }
}
