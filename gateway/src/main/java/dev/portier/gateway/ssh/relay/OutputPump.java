package dev.portier.gateway.ssh.relay;

import java.io.EOFException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Moves one stream from the target to the user: read a chunk, hand it to the tap (recording), write it
 * downstream, and read the next chunk only once that write completed. Reading later is the back-pressure:
 * MINA releases the upstream window as we read, so a slow user slows the target, and memory stays at one
 * buffer per stream.
 */
final class OutputPump {
    /** Sees each chunk before it is written downstream. Throwing ends the session (fail closed). */
    interface Tap {
        void chunk(byte[] data, int offset, int length) throws Exception;

        /** Runs {@code resume} once the tap can take the next chunk (the recording caught up). */
        void whenReady(Runnable resume);
    }

    interface Listener {
        void onEof();

        void onError(Throwable error);
    }

    private static final int CHUNK = 32 * 1024;
    private static final int PENDING = 0;
    private static final int WRITTEN = 1;
    private static final int RETURNED = 2;

    private final IoInputStream source;
    private final AsyncWriter sink;
    private final Tap tap;
    private final Listener listener;
    private final ByteArrayBuffer buffer = new ByteArrayBuffer(CHUNK, false);

    OutputPump(IoInputStream source, AsyncWriter sink, Tap tap, Listener listener) {
        this.source = source;
        this.sink = sink;
        this.tap = tap;
        this.listener = listener;
    }

    void start() {
        readNext();
    }

    private void readNext() {
        while (true) {
            buffer.clear();
            IoReadFuture future;
            try {
                future = source.read(buffer);
            } catch (RuntimeException e) {
                listener.onError(e);
                return;
            }
            if (!future.isDone()) {
                future.addListener(f -> {
                    if (handle(f)) {
                        readNext();
                    }
                });
                return;
            }
            if (!handle(future)) {
                return;
            }
        }
    }

    /** @return true when the next read may start now (the downstream write already completed) */
    private boolean handle(IoReadFuture future) {
        Throwable error = future.getException();
        if (error != null) {
            if (error instanceof EOFException) {
                listener.onEof();
            } else {
                listener.onError(error);
            }
            return false;
        }
        int n = future.getRead();
        try {
            tap.chunk(buffer.array(), buffer.rpos(), n);
        } catch (Exception e) {
            listener.onError(e);
            return false;
        }
        // Whoever comes second continues: the caller when the write completed on its own stack, the
        // write's callback when it completed later on another thread.
        AtomicInteger state = new AtomicInteger(PENDING);
        Runnable next = () -> {
            if (!state.compareAndSet(PENDING, WRITTEN)) {
                readNext();
            }
        };
        // Read on only when the user took the chunk and the recording kept up: both are back-pressure.
        sink.write(buffer, () -> tap.whenReady(next));
        return !state.compareAndSet(PENDING, RETURNED);
    }
}
