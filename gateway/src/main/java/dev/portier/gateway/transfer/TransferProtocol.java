package dev.portier.gateway.transfer;

/** The protocol a {@link TransferEvent} was observed in; its name prefixes the event kind. */
public enum TransferProtocol {
    /** The {@code sftp} subsystem, SFTP version 3 (what OpenSSH speaks). */
    SFTP("sftp"),
    /** Legacy scp ({@code scp -O}): the rcp protocol over an exec channel running {@code scp -t} or {@code scp -f}. */
    SCP("scp");

    private final String prefix;

    TransferProtocol(String prefix) {
        this.prefix = prefix;
    }

    /** {@code sftp} or {@code scp}. */
    public String prefix() {
        return prefix;
    }
}
