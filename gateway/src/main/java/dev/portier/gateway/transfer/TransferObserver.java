package dev.portier.gateway.transfer;

/**
 * Watches the two byte streams of one file-transfer channel and reports what crosses as {@link TransferEvent}s
 * to the sink it was built with. It never changes the bytes and never throws on what it reads: input it
 * cannot follow makes it report one {@link TransferEvent.SyncLost} and ignore the rest; the caller decides
 * whether the session may go on without evidence.
 *
 * <p>Calls may come from any thread; each chunk must be given to the observer before it is forwarded, so
 * that a request is seen before its reply. Events are delivered on the calling thread, in order; an
 * exception from the sink propagates to the caller and the undelivered events follow on the next call.
 */
public interface TransferObserver {

    /** Bytes the user's client sent towards the target. */
    void fromClient(byte[] buf, int off, int len);

    /** Bytes the target sent towards the user's client. */
    void fromServer(byte[] buf, int off, int len);

    /** False once the observer has lost track of the protocol; its evidence stops there. */
    boolean inSync();

    /**
     * The channel has closed: files still open are reported as {@link TransferEvent.Closed} with
     * {@code complete == false}; later bytes are ignored. Idempotent.
     */
    void end();
}
