package dev.portier.gateway.ssh.relay;

/**
 * Sees every byte of a bridged channel, in each direction, before it is forwarded: the recorder and the
 * file-transfer observers hang here. Throwing ends the channel (fail closed). Called on I/O threads.
 */
public interface ChannelTap {
    void fromUser(byte[] data, int offset, int length) throws Exception;

    void fromTarget(byte[] data, int offset, int length, boolean stderr) throws Exception;

    void resized(int columns, int rows) throws Exception;

    /**
     * Runs {@code resume} once the tap can take more target output (at once when it can now). The bridge
     * reads from the target only then, so a recording that falls behind slows the session, never drops data.
     */
    default void whenReady(Runnable resume) {
        resume.run();
    }

    /** The channel ended; {@code exitStatus} may be null. Never throws. */
    void closed(Integer exitStatus, String exitSignal, String reason);
}
