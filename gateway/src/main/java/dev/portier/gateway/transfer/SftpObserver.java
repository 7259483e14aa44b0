package dev.portier.gateway.transfer;

import java.util.function.Consumer;

/**
 * Passive SFTP v3 observer (draft-ietf-secsh-filexfer-02, as OpenSSH speaks it) for one {@code sftp}
 * subsystem channel, fed with the raw channel bytes of each direction.
 *
 * <p>It reports opens (path and flags), closes with bytes read and written and the SHA-256 of the file data
 * when it crossed at sequential offsets, removes, renames (including {@code posix-rename@openssh.com}),
 * directory creation and removal, attribute changes and links, each once the target confirmed it, and
 * {@link TransferEvent.Failed} when the target refused it. Per-packet READ/WRITE traffic is summarized in
 * {@link TransferEvent.Closed}.
 *
 * <p>Memory stays bounded: only packet headers and the small request fields are buffered (file data is
 * hashed as it passes), and at most {@link Limits#maxPending()} requests and {@link Limits#maxHandles()}
 * handles are tracked; beyond that, or on a packet longer than {@link Limits#maxPacketLength()}, on a
 * version other than 3, or on a malformed packet, the observer reports {@link TransferEvent.SyncLost} once
 * and ignores the rest of the channel.
 */
public final class SftpObserver extends AbstractTransferObserver {

    /**
     * Bounds on what the observer holds.
     *
     * @param maxPacketLength longest packet accepted (OpenSSH uses at most 256 KiB)
     * @param maxPending      requests awaiting a reply (OpenSSH keeps at most 64 in flight)
     * @param maxHandles      open file and directory handles
     */
    public record Limits(int maxPacketLength, int maxPending, int maxHandles) {
        public static final Limits DEFAULT = new Limits(1024 * 1024, 10_000, 10_000);

        public Limits {
            if (maxPacketLength < 1024 || maxPending < 1 || maxHandles < 1) {
                throw new IllegalArgumentException("SFTP observer limits too small: " + maxPacketLength + ", "
                        + maxPending + ", " + maxHandles);
            }
        }
    }

    /** Request fields kept per packet: paths are far shorter, the rest of a larger packet is skipped. */
    static final int FIELD_CAP = 64 * 1024;

    private final SftpRequestTracker tracker;
    private final SftpFramer clientFramer;
    private final SftpFramer serverFramer;

    public SftpObserver(Consumer<TransferEvent> sink) {
        this(sink, Limits.DEFAULT);
    }

    public SftpObserver(Consumer<TransferEvent> sink, Limits limits) {
        super(TransferProtocol.SFTP, sink);
        tracker = new SftpRequestTracker(this::emit, limits.maxPending(), limits.maxHandles());
        int fieldCap = Math.min(FIELD_CAP, limits.maxPacketLength());
        clientFramer = new SftpFramer(tracker.client, limits.maxPacketLength(), fieldCap);
        serverFramer = new SftpFramer(tracker.server, limits.maxPacketLength(), fieldCap);
    }

    @Override
    void parse(boolean fromClient, byte[] buf, int off, int len) throws ProtocolViolation {
        (fromClient ? clientFramer : serverFramer).feed(buf, off, len);
    }

    @Override
    void abandonOpenFiles(boolean syncLost) {
        tracker.abandon(syncLost);
    }

    /** Bytes held for parsing, both directions; for tests of the memory bound. */
    synchronized int bufferCapacity() {
        return clientFramer.bufferCapacity() + serverFramer.bufferCapacity();
    }
}
