package dev.portier.recorder.index;

/** Receives the lines a line builder completes. */
@FunctionalInterface
interface LineSink {
    void line(long offsetMillis, String text);
}
