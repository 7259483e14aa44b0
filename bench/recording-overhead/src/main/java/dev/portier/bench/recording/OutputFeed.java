package dev.portier.bench.recording;

import dev.portier.recorder.RecorderException;
import dev.portier.recorder.SessionRecorder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * Terminal output as the relay hands it to the recorder: chunks of at most 32 KiB (the relay's read size) of the
 * same text lines as {@code bench/ssh-throughput}'s file, the next chunk only once the recorder can take it.
 */
final class OutputFeed {
    private static final byte[] LINE =
            "Portier benchmark line: the quick brown fox jumps over the lazy dog 0123456789\n"
                    .getBytes(StandardCharsets.US_ASCII);
    private final byte[] text;
    private final int chunk;

    OutputFeed(int chunkBytes) {
        this.chunk = chunkBytes;
        // Long enough that every chunk starts at another point of a line, as reads of a stream do.
        this.text = new byte[(1 << 20) + chunkBytes];
        for (int i = 0; i < text.length; i++) {
            text[i] = LINE[i % LINE.length];
        }
    }

    /**
     * Feeds {@code total} bytes to {@code recorder} (null: none, the harness alone) and closes it.
     *
     * @return a checksum of what was fed, so that the loop without a recorder is not optimised away
     */
    long feed(SessionRecorder recorder, long total) throws RecorderException, InterruptedException {
        Semaphore ready = new Semaphore(0);
        long sum = 0;
        long fed = 0;
        int at = 0;
        while (fed < total) {
            int n = (int) Math.min(chunk, total - fed);
            if (recorder != null) {
                recorder.output(text, at, n);
                recorder.whenWritable(ready::release);
                ready.acquire();
            } else {
                sum += text[at] + text[at + n - 1];
            }
            fed += n;
            at = (at + n) % (1 << 20);
        }
        if (recorder != null) {
            recorder.close(0, "exit");
        }
        return sum + fed;
    }
}
