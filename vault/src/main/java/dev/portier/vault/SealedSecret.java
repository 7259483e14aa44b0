package dev.portier.vault;

/**
 * The JSON form of one stored secret ({@code <data>/vault/<target>/<account>.json}). Binary fields are
 * base64; {@code updated} is an ISO-8601 instant. Nothing here is secret without the master key.
 *
 * @param wrappedKey the data key, encrypted by the master key under {@code keyNonce}
 * @param ciphertext the secret, encrypted by the data key under {@code nonce}
 */
record SealedSecret(
        int version,
        String kind,
        String wrappedKey,
        String keyNonce,
        String nonce,
        String ciphertext,
        String updated) {
}
