package dev.portier.gateway.ssh.relay;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Serialises writes to one MINA async stream: MINA allows a single write in flight per stream, and a
 * listener must not start the next write on its own stack when writes complete synchronously. Each write
 * carries a callback run once its bytes are handed to the transport (that is where back-pressure is
 * released). Thread-safe; never blocks.
 */
final class AsyncWriter {
    private enum Op { WRITE, CLOSE, MARK }

    private record Item(Buffer buffer, Runnable done, Op op) {
    }

    private final IoOutputStream out;
    private final Consumer<Throwable> onError;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean failed;

    AsyncWriter(IoOutputStream out, Consumer<Throwable> onError) {
        this.out = out;
        this.onError = onError;
    }

    /** Queues {@code buffer}; {@code done} runs when it has been written (not run if the stream fails). */
    void write(Buffer buffer, Runnable done) {
        enqueue(new Item(buffer, done, Op.WRITE));
    }

    /** Runs {@code done} once every write queued before it has completed. */
    void whenDrained(Runnable done) {
        enqueue(new Item(null, done, Op.MARK));
    }

    /** After every queued write, closes the stream gracefully (for a channel's input: sends EOF) and runs {@code done}. */
    void closeAfterPending(Runnable done) {
        enqueue(new Item(null, done, Op.CLOSE));
    }

    private void enqueue(Item item) {
        synchronized (this) {
            if (failed) {
                return;
            }
            queue.add(item);
            if (draining) {
                return;
            }
            draining = true;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Item item;
            synchronized (this) {
                item = queue.poll();
                if (item == null || failed) {
                    draining = false;
                    return;
                }
            }
            if (item.op() == Op.MARK) {
                item.done().run();
                continue;
            }
            if (item.op() == Op.CLOSE) {
                out.close(false).addListener(f -> item.done().run());
                continue;
            }
            IoWriteFuture future;
            try {
                future = out.writeBuffer(item.buffer());
            } catch (Exception e) {
                fail(e);
                return;
            }
            if (future.isDone()) {
                if (!complete(item, future)) {
                    return;
                }
                continue;
            }
            future.addListener(f -> {
                if (complete(item, f)) {
                    drain();
                }
            });
            return;
        }
    }

    private boolean complete(Item item, IoWriteFuture future) {
        Throwable error = future.getException();
        if (error != null) {
            fail(error);
            return false;
        }
        item.done().run();
        return true;
    }

    private void fail(Throwable error) {
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
            draining = false;
            queue.clear();
        }
        onError.accept(error);
    }
}
