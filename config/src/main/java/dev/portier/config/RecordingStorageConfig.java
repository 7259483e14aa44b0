package dev.portier.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code storage.recordings} and {@code storage.s3}: where closed recordings are kept. {@link #LOCAL} keeps them in
 * {@code <dataDir>/recordings} only (the default); with an {@code s3://bucket/prefix} URL that directory becomes a
 * spool whose closed recordings are uploaded to an S3-compatible object store (see {@code docs/storage.md}).
 *
 * @param bucket          the bucket, or {@code null} for {@link #LOCAL}
 * @param prefix          the key prefix without leading or trailing {@code /}, empty for the bucket's root
 * @param endpoint        {@code https://host[:port]} (or {@code http://} on loopback), or {@code null} for AWS
 * @param region          the signing region
 * @param pathStyle       {@code https://host/bucket/key} rather than {@code https://bucket.host/key}
 * @param accessKeyId     {@code env:NAME} or {@code vault:TARGET/ACCOUNT}, or {@code null} with {@code secretAccessKey}
 *                        {@code null} too: the AWS default credentials chain
 * @param secretAccessKey {@code env:NAME} or {@code vault:TARGET/ACCOUNT}: never the secret itself
 * @param retryMax        the longest wait between two upload attempts of a recording
 * @param keepLocal       how long an uploaded (or restored) recording's content stays in the recordings directory
 *                        after it was last written; zero drops it as soon as the store confirmed it
 */
public record RecordingStorageConfig(
        String bucket,
        String prefix,
        URI endpoint,
        String region,
        boolean pathStyle,
        String accessKeyId,
        String secretAccessKey,
        Duration retryMax,
        Duration keepLocal) {

    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
    public static final Duration DEFAULT_KEEP_LOCAL = Duration.ofMinutes(10);
    public static final String DEFAULT_REGION = "us-east-1";
    public static final RecordingStorageConfig LOCAL =
            new RecordingStorageConfig(null, "", null, DEFAULT_REGION, false, null, null, DEFAULT_RETRY_MAX,
                    DEFAULT_KEEP_LOCAL);
    /** Prefix of a secret kept in Portier's vault ({@code portier vault put TARGET/ACCOUNT --password-stdin}). */
    public static final String VAULT_PREFIX = "vault:";

    /** True when recordings stay in the recordings directory only. */
    public boolean local() {
        return bucket == null;
    }

    /** {@code s3://bucket/prefix}, or {@code local}. */
    public String url() {
        return local() ? "local" : "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
