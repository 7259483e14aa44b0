package dev.portier.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shell or exec channel on the simulated device. {@code start} runs on a MINA I/O thread, so it only hands
 * the work to the router's pool; the subclass's {@link #run} then owns the channel's streams with blocking I/O.
 */
abstract class DeviceCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCommand.class);

    private final ExecutorService workers;
    private final AtomicBoolean exited = new AtomicBoolean();
    protected InputStream in;
    protected OutputStream out;
    protected OutputStream err;
    private ExitCallback exitCallback;
    private volatile Future<?> task;
    private volatile boolean destroyed;
    private String sessionName = "?";

    DeviceCommand(ExecutorService workers) {
        this.workers = workers;
    }

    /** Serves the channel until the user leaves; returns the exit status. */
    protected abstract int run(Environment env) throws IOException;

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        sessionName = channel.getSession().toString();
        try {
            task = workers.submit(() -> serve(env));
        } catch (RejectedExecutionException e) {
            throw new IOException("the simulated router is shutting down", e);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void serve(Environment env) {
        int status;
        try {
            status = run(env);
            out.flush();
            err.flush();
        } catch (IOException | RuntimeException e) {
            if (destroyed) {
                // The client went away first; MINA already closed the channel, nobody is left to tell.
                LOG.debug("simulated router session {} ended by the client: {}", sessionName, e.toString());
                return;
            }
            LOG.warn("simulated router session {} failed", sessionName, e);
            status = 1;
        }
        if (exited.compareAndSet(false, true)) {
            exitCallback.onExit(status);
        }
    }
}
