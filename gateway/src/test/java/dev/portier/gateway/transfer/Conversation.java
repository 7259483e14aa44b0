package dev.portier.gateway.transfer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The bytes of one channel in the order they cross: runs of client or server bytes, each run the
 * concatenation of the messages one side sent before the other answered. Replays them into an observer cut
 * into chunks by a {@link Chunker}, so packets split across or coalesced within chunks.
 */
final class Conversation {
    private record Run(boolean fromClient, byte[] bytes) {
    }

    /** Decides the size of the next chunk of a run. */
    interface Chunker {
        int next(int run, int position, int remaining);
    }

    static final Chunker WHOLE = (run, position, remaining) -> remaining;
    static final Chunker BYTES = (run, position, remaining) -> 1;

    static Chunker random(long seed) {
        Random random = new Random(seed);
        return (run, position, remaining) -> 1 + random.nextInt(Math.min(remaining, random.nextBoolean() ? 16 : 70_000));
    }

    /** Two chunks per run, cut at {@code cut} (or one chunk when the run is not longer). */
    static Chunker cutAt(int cut) {
        return (run, position, remaining) -> position < cut ? Math.min(cut - position, remaining) : remaining;
    }

    private final List<Run> runs = new ArrayList<>();
    private ByteArrayOutputStream current;
    private boolean currentFromClient;

    Conversation client(byte[]... messages) {
        return add(true, messages);
    }

    Conversation server(byte[]... messages) {
        return add(false, messages);
    }

    Conversation client(String ascii) {
        return add(true, ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    Conversation server(String ascii) {
        return add(false, ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A copy with {@code flips} random bytes replaced, for fuzzing. */
    Conversation mutated(long seed, int flips) {
        flush();
        Random random = new Random(seed);
        Conversation copy = new Conversation();
        runs.forEach(run -> copy.runs.add(new Run(run.fromClient(), run.bytes().clone())));
        for (int i = 0; i < flips && !copy.runs.isEmpty(); i++) {
            byte[] b = copy.runs.get(random.nextInt(copy.runs.size())).bytes();
            if (b.length > 0) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
        }
        return copy;
    }

    int longestRun() {
        flush();
        return runs.stream().mapToInt(r -> r.bytes().length).max().orElse(0);
    }

    void replay(TransferObserver observer, Chunker chunker) {
        flush();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            byte[] b = run.bytes();
            int position = 0;
            while (position < b.length) {
                int n = Math.max(1, Math.min(chunker.next(i, position, b.length - position), b.length - position));
                if (run.fromClient()) {
                    observer.fromClient(b, position, n);
                } else {
                    observer.fromServer(b, position, n);
                }
                position += n;
            }
        }
    }

    private Conversation add(boolean fromClient, byte[]... messages) {
        if (current != null && currentFromClient != fromClient) {
            flush();
        }
        if (current == null) {
            current = new ByteArrayOutputStream();
            currentFromClient = fromClient;
        }
        for (byte[] m : messages) {
            current.writeBytes(m);
        }
        return this;
    }

    private void flush() {
        if (current != null) {
            runs.add(new Run(currentFromClient, current.toByteArray()));
            current = null;
        }
    }
}
