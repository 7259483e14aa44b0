package dev.portier.gateway.transfer;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every observer shares: serialized feeding, the switch to "lost sync" on input it cannot follow, and
 * event delivery outside the parser, so a throwing sink never leaves the parser half-way through a chunk.
 */
abstract class AbstractTransferObserver implements TransferObserver {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractTransferObserver.class);

    private final TransferProtocol protocol;
    private final Consumer<TransferEvent> sink;
    private final ArrayDeque<TransferEvent> undelivered = new ArrayDeque<>();
    private boolean inSync = true;
    private boolean ended;

    AbstractTransferObserver(TransferProtocol protocol, Consumer<TransferEvent> sink) {
        this.protocol = protocol;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Parses one chunk; throws when the stream cannot be followed any further. */
    abstract void parse(boolean fromClient, byte[] buf, int off, int len) throws ProtocolViolation;

    /** Reports every file still open as closed incomplete (with its digest given up when sync was lost). */
    abstract void abandonOpenFiles(boolean syncLost);

    @Override
    public final synchronized void fromClient(byte[] buf, int off, int len) {
        feed(true, buf, off, len);
    }

    @Override
    public final synchronized void fromServer(byte[] buf, int off, int len) {
        feed(false, buf, off, len);
    }

    @Override
    public final synchronized boolean inSync() {
        return inSync;
    }

    @Override
    public final synchronized void end() {
        if (!ended) {
            ended = true;
            if (inSync) {
                abandonOpenFiles(false);
            }
        }
        deliver();
    }

    final void emit(TransferEvent event) {
        undelivered.add(event);
    }

    private void feed(boolean fromClient, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (inSync && !ended && len > 0) {
            try {
                parse(fromClient, buf, off, len);
            } catch (ProtocolViolation e) {
                loseSync((fromClient ? "client: " : "server: ") + e.getMessage());
            } catch (RuntimeException e) {
                // A parser bug must cost the evidence, never the session's bytes: report it like bad input.
                LOG.warn("{} transfer observer failed; evidence stops here", protocol.prefix(), e);
                loseSync("observer error: " + e);
            }
        }
        deliver();
    }

    private void loseSync(String reason) {
        inSync = false;
        emit(new TransferEvent.SyncLost(protocol, reason));
        abandonOpenFiles(true);
    }

    private void deliver() {
        while (!undelivered.isEmpty()) {
            sink.accept(undelivered.peek());
            undelivered.poll();
        }
    }
}
