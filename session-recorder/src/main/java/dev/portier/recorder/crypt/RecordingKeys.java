package dev.portier.recorder.crypt;

/**
 * Wraps and unwraps the data key of a recording: the seam between the recorder and the master key, which lives in
 * the vault (the recorder does not depend on the vault; the gateway wires one to the other). The wrapped form is
 * stored in the clear beside the recording, so it must be useless without the master key and bound to
 * {@code recordingId}. Must be thread-safe.
 */
public interface RecordingKeys {
    /**
     * @param dataKey the 32-byte key; the caller wipes it afterwards
     * @return printable ASCII text without {@code '"'} or {@code '\\'}, safe to store in the clear
     * @throws RecordingCryptoException if the key cannot be wrapped: the recording must not start
     */
    String wrap(String recordingId, byte[] dataKey) throws RecordingCryptoException;

    /**
     * @return the 32-byte data key; the caller wipes it after use
     * @throws RecordingCryptoException with a message naming the cause (no master key, another master key, an
     *                                  altered wrapped key)
     */
    byte[] unwrap(String recordingId, String wrappedKey) throws RecordingCryptoException;

    /** For stores that never read an encrypted recording's content (listing, verifying): every call fails. */
    static RecordingKeys unavailable(String why) {
        return new RecordingKeys() {
            @Override
            public String wrap(String recordingId, byte[] dataKey) throws RecordingCryptoException {
                throw new RecordingCryptoException("cannot encrypt recording " + recordingId + ": " + why);
            }

            @Override
            public byte[] unwrap(String recordingId, String wrappedKey) throws RecordingCryptoException {
                throw new RecordingCryptoException("recording " + recordingId + " is encrypted and " + why);
            }
        };
    }
}
