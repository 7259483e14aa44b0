package dev.portier.recorder.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the bucket, with the credentials already resolved (from the environment or the vault). Never
 * printed with its secret: {@link #toString} redacts it.
 *
 * @param endpoint        the store's URL, or {@code null} for AWS's endpoint of {@code region}
 * @param accessKeyId     with {@code secretAccessKey}; both {@code null} for the AWS default credentials chain
 * @param requestTimeout  the longest one request (an upload of one file included) may take
 */
public record S3Settings(
        String bucket,
        String prefix,
        URI endpoint,
        String region,
        boolean pathStyle,
        String accessKeyId,
        String secretAccessKey,
        Duration requestTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("give both the access key id and the secret access key, or neither");
        }
    }

    /** {@code s3://bucket/prefix}. */
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public String toString() {
        return "S3Settings[" + location() + ", endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
                + ", credentials=" + (accessKeyId == null ? "default chain" : "static (redacted)") + "]";
    }
}
