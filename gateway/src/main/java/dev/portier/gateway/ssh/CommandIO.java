package dev.portier.gateway.ssh;

/**
 * Where a Portier command writes while it runs (it may stream, e.g. a countdown while waiting for an
 * approval). Implementations are thread-safe.
 */
interface CommandIO {
    void out(String text);

    void err(String text);

    /** False once the user went away; long-running commands stop then. */
    boolean open();
}
