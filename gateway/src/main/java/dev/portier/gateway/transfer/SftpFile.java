package dev.portier.gateway.transfer;

/** An open SFTP handle: a file with what crossed through it so far, or a directory (mode null). */
final class SftpFile {
    final String handle;
    final String path;
    final OpenMode mode;
    final RunningDigest reads = new RunningDigest();
    final RunningDigest writes = new RunningDigest();
    boolean readFailureReported;
    boolean writeFailureReported;

    SftpFile(String handle, String path, OpenMode mode) {
        this.handle = handle;
        this.path = path;
        this.mode = mode;
    }

    boolean isDirectory() {
        return mode == null;
    }

    TransferEvent.Closed closed(boolean complete, boolean syncLost) {
        if (syncLost) {
            reads.giveUp(ContentDigest.SYNC_LOST);
            writes.giveUp(ContentDigest.SYNC_LOST);
        }
        return new TransferEvent.Closed(TransferProtocol.SFTP, handle, path, mode, reads.bytes(), writes.bytes(),
                digest(), complete);
    }

    /** Digest of whichever direction carried data; a handle used both ways has none. */
    private ContentDigest digest() {
        if (reads.bytes() > 0 && writes.bytes() > 0) {
            return ContentDigest.unavailable(ContentDigest.READ_AND_WRITE);
        }
        return reads.bytes() > 0 ? reads.result() : writes.result();
    }
}
