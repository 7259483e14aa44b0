package dev.portier.gateway.transfer;

/** A file crossing in an scp transfer, from its accepted header to its final acknowledgement. */
final class ScpFile {
    final String name;
    final String path;
    final OpenMode mode;
    final long size;
    final int permissions;
    final RunningDigest data = new RunningDigest();
    boolean sentCleanly;

    ScpFile(String name, String path, OpenMode mode, long size, int permissions) {
        this.name = name;
        this.path = path;
        this.mode = mode;
        this.size = size;
        this.permissions = permissions;
    }

    TransferEvent.Opened opened() {
        return new TransferEvent.Opened(TransferProtocol.SCP, name, path, mode, size, permissions);
    }

    TransferEvent.Closed closed(boolean acknowledged, boolean syncLost) {
        if (syncLost) {
            data.giveUp(ContentDigest.SYNC_LOST);
        }
        long bytes = data.bytes();
        boolean complete = acknowledged && sentCleanly && bytes == size;
        return new TransferEvent.Closed(TransferProtocol.SCP, name, path, mode, mode.write() ? 0 : bytes,
                mode.write() ? bytes : 0, data.result(), complete);
    }
}
