package dev.portier.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 server on loopback: s3proxy (Jetty and its S3 protocol handler, with AWS signature v4 checked against
 * a random key pair) over a file-system blob store under a directory of the test's. {@link #stop} takes it off the
 * network (connections are refused) and {@link #start} brings it back on the same port with the same objects, so
 * a test can play an outage. Tests read and tamper with objects directly through {@link #keys}, {@link #read} and
 * {@link #write}.
 */
public final class S3Server implements AutoCloseable {
    private final Path root;
    private final BlobStoreContext context;
    private final String accessKey = "AK" + hex(8).toUpperCase(java.util.Locale.ROOT);
    private final String secretKey = hex(20);
    private S3Proxy proxy;
    private int port;

    private S3Server(Path root) {
        this.root = root;
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", root.toString());
        this.context = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused").overrides(props)
                .build(BlobStoreContext.class);
    }

    /** Starts a server storing its objects under {@code dir} (created when absent) on a free loopback port. */
    public static S3Server start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3Server server = new S3Server(dir);
        server.start();
        return server;
    }

    /** Starts listening again, on the port it had before (the first time: a free one). */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        S3Proxy p = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
        try {
            p.start();
            for (int i = 0; i < 500 && !"STARTED".equals(p.getState()); i++) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start on port " + port + ": " + e, e);
        }
        if (!"STARTED".equals(p.getState())) {
            throw new IllegalStateException("s3proxy did not start on port " + port + ": " + p.getState());
        }
        port = p.getPort();
        proxy = p;
    }

    /** Stops listening: clients get "connection refused" until {@link #start}. The objects are kept. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop: " + e, e);
        }
        proxy = null;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Every key of {@code bucket}, sorted. */
    public List<String> keys(String bucket) {
        BlobStore store = context.getBlobStore();
        List<String> keys = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            var page = store.list(bucket, options);
            for (StorageMetadata m : page) {
                if (m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) {
                    keys.add(m.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        keys.sort(null);
        return keys;
    }

    public byte[] read(String bucket, String key) {
        Blob blob = context.getBlobStore().getBlob(bucket, key);
        if (blob == null) {
            throw new IllegalArgumentException("no object " + key + " in " + bucket);
        }
        try (InputStream in = blob.getPayload().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces an object behind the S3 API's back, as an attacker with access to the storage would. */
    public void write(String bucket, String key, byte[] content) {
        BlobStore store = context.getBlobStore();
        store.putBlob(bucket, store.blobBuilder(key).payload(content).build());
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        stop();
        context.close();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
