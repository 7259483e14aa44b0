package dev.portier.recorder.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} over the S3 API (AWS SDK for Java v2), for AWS and S3-compatible stores (MinIO, Ceph, ...).
 *
 * <p>Security defaults set here, in one place: request checksums only where the API requires them, and
 * {@code Content-MD5} on every upload instead, because every S3 implementation checks that header while the
 * SDK's newer trailing checksums are not implemented everywhere; each upload is then read back with HEAD (size,
 * the SHA-256 sent as user metadata, and the ETag where it is a plain MD5). The SDK retries once: the spool has
 * its own retries with backoff, and a read should fail fast when the store is down.
 */
public final class S3ObjectStore implements ObjectStore {
    static final String SHA256_METADATA = "sha256";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final S3Settings settings;
    private final S3Client s3;

    private S3ObjectStore(S3Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
    }

    /** A client for the bucket; no request is made yet, so this works while the store is down. */
    public static S3ObjectStore open(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
                        settings.secretAccessKey()));
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT).build())
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2))
                        .apiCallTimeout(settings.requestTimeout()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new S3ObjectStore(settings, builder.build());
    }

    @Override
    public void put(String key, Path file, FileDigest digest) throws IOException {
        String full = fullKey(key);
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(full).contentLength(digest.size())
                    .contentMD5(digest.md5Base64()).metadata(Map.of(SHA256_METADATA, digest.sha256Hex())),
                    RequestBody.fromFile(file));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(settings.bucket()).key(full));
            String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "").toLowerCase(Locale.ROOT);
            boolean plainEtag = etag.matches("[0-9a-f]{32}");
            if (head.contentLength() == null || head.contentLength() != digest.size()
                    || !digest.sha256Hex().equals(head.metadata().get(SHA256_METADATA))
                    || plainEtag && !etag.equals(digest.md5Hex())) {
                throw new ObjectStoreException(location() + " holds a different " + key + " than was uploaded ("
                        + head.contentLength() + " bytes instead of " + digest.size() + "); it will be uploaded again",
                        false, null);
            }
        } catch (SdkException | UncheckedIOException e) {
            throw failure("cannot upload " + key, e);
        }
    }

    @Override
    public String get(String key, Path target) throws IOException {
        MessageDigest sha256 = FileDigest.digest("SHA-256");
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(settings.bucket()).key(fullKey(key)));
                FileChannel out = LocalFiles.createNew(target)) {
            copy(in, out, sha256);
            out.force(false);
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(location() + "/" + key, null, "not in the object store");
        } catch (SdkException | UncheckedIOException e) {
            throw failure("cannot download " + key, e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        String full = fullKey(keyPrefix);
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(full).build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                keys.add(o.key().substring(base().length()));
            }
        } catch (SdkException e) {
            throw failure("cannot list " + keyPrefix, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(settings.bucket()).key(fullKey(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("cannot look up " + key, e);
        } catch (SdkException e) {
            throw failure("cannot look up " + key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(fullKey(key)));
        } catch (SdkException e) {
            throw failure("cannot delete " + key, e);
        }
    }

    @Override
    public String location() {
        return settings.location();
    }

    @Override
    public void close() {
        s3.close();
    }

    private String base() {
        return settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
    }

    private String fullKey(String key) {
        return base() + key;
    }

    private static void copy(InputStream in, FileChannel out, MessageDigest sha256) throws IOException {
        var sink = Channels.newOutputStream(out);
        byte[] buf = new byte[64 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            sha256.update(buf, 0, n);
            sink.write(buf, 0, n);
        }
        sink.flush();
    }

    /** An SDK failure as one sentence naming the store; S3 error codes are kept, request details are not. */
    private ObjectStoreException failure(String what, Exception e) {
        if (e instanceof S3Exception s3e) {
            String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            String hint = s3e.statusCode() == 403 ? "; check storage.s3 credentials and the bucket policy"
                    : s3e.statusCode() == 404 ? "; check that the bucket exists" : "";
            return new ObjectStoreException(location() + ": " + what + ": refused with HTTP " + s3e.statusCode()
                    + (code == null ? "" : " " + code) + hint, false, e);
        }
        boolean unreachable = e instanceof SdkClientException || e instanceof UncheckedIOException;
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ObjectStoreException(location() + ": " + what + ": " + (unreachable ? "the store cannot be"
                + " reached (" + reason + ")" : reason), unreachable, e);
    }
}
