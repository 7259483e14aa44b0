package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code storage.recordings}, {@code storage.s3} and {@code recording.retention}. */
class RecordingStorageValidationTest {

    private static RecordingStorageConfig storage(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "portier.yaml").storage().recordings();
    }

    @Test
    void recordingsStayLocalByDefault() throws ConfigException {
        assertTrue(storage("").local());
        assertTrue(storage("storage: { recordings: local }\n").local());
        assertEquals("local", storage("").url());
    }

    @Test
    void s3StorageIsReadWithEveryKey() throws ConfigException {
        RecordingStorageConfig s3 = storage("""
                storage:
                  recordings: "s3://portier-recordings/prod/bru/"
                  s3:
                    endpoint: "https://minio.example.net:9000"
                    region: eu-west-1
                    pathStyle: true
                    accessKeyId: "env:PORTIER_S3_KEY_ID"
                    secretAccessKey: "vault:s3/portier"
                    retryMax: 30s
                    keepLocal: 0s
                """);
        assertEquals(new RecordingStorageConfig("portier-recordings", "prod/bru", URI.create("https://minio.example.net:9000"),
                "eu-west-1", true, "env:PORTIER_S3_KEY_ID", "vault:s3/portier", Duration.ofSeconds(30), Duration.ZERO), s3);
        assertEquals("s3://portier-recordings/prod/bru", s3.url());
    }

    @Test
    void s3WithoutDetailsUsesAwsDefaults() throws ConfigException {
        RecordingStorageConfig s3 = storage("storage: { recordings: \"s3://rec\" }\n");
        assertEquals(new RecordingStorageConfig("rec", "", null, "us-east-1", false, null, null, Duration.ofMinutes(5),
                Duration.ofMinutes(10)), s3);
    }

    @Test
    void aBadRecordingsUrlIsAnErrorWithFileAndLine() {
        assertEquals("portier.yaml:2: storage.recordings: is not an object store location; write s3://bucket/prefix,"
                + " or omit it to keep recordings in the data directory",
                problem("storage:\n  recordings: \"https://bucket.example.net/rec\"\n"));
        assertEquals("portier.yaml:1: storage.recordings: the bucket \"Bad_Bucket\" is not an S3 bucket name (3 to 63"
                + " lower-case letters, digits, '.' and '-'); write s3://bucket/prefix, or omit it to keep recordings in"
                + " the data directory", problem("storage: { recordings: \"s3://Bad_Bucket/x\" }\n"));
        assertTrue(problem("storage: { recordings: \"s3://rec/a/../b\" }\n").contains("no . or .. segment"));
        assertTrue(problem("storage: { recordings: \"s3://rec/a//b\" }\n").startsWith("portier.yaml:1: storage.recordings:"));
        assertTrue(problem("storage: { recordings: \"s3://rec/a?b=c\" }\n").startsWith("portier.yaml:1: storage.recordings:"));
    }

    @Test
    void credentialsInsideTheUrlAreRefusedWithoutEchoingThem() {
        String problem = problem("storage: { recordings: \"s3://AKIAXX:wJalrXUtnFEMI@rec/p\" }\n");
        assertTrue(problem.startsWith("portier.yaml:1: storage.recordings: must not carry credentials"), problem);
        assertFalse(problem.contains("wJalrXUtnFEMI"), problem);
    }

    @Test
    void aSecretKeyInClearIsAConfigErrorWithFileAndLineAndNeverEchoed() {
        String problem = problem("""
                storage:
                  recordings: "s3://rec/p"
                  s3:
                    accessKeyId: "env:PORTIER_S3_KEY_ID"
                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
                """);
        assertEquals("portier.yaml:5: storage.s3.secretAccessKey: must not be written in clear; write env:NAME or"
                + " vault:TARGET/ACCOUNT (portier vault put TARGET/ACCOUNT --password-stdin)", problem);
        assertFalse(problem.contains("wJalr"));
    }

    @Test
    void anAccessKeyIdInClearIsRefusedToo() {
        String problem = problem("storage:\n  recordings: \"s3://rec\"\n  s3: { accessKeyId: AKIAIOSFODNN7EXAMPLE,"
                + " secretAccessKey: \"env:S\" }\n");
        assertTrue(problem.startsWith("portier.yaml:3: storage.s3.accessKeyId: must not be written in clear"), problem);
        assertFalse(problem.contains("AKIAIOSFODNN7EXAMPLE"));
    }

    @Test
    void malformedSecretReferencesAreNamed() {
        assertTrue(problem("storage: { recordings: \"s3://rec\", s3: { accessKeyId: \"env:1X\", secretAccessKey: \"env:S\" } }\n")
                .contains("env: must be followed by an environment variable name"));
        assertTrue(problem("storage: { recordings: \"s3://rec\", s3: { accessKeyId: \"env:K\", secretAccessKey: \"vault:s3\" } }\n")
                .contains("vault: must be followed by TARGET/ACCOUNT"));
    }

    @Test
    void oneCredentialWithoutTheOtherIsAnError() {
        assertEquals("portier.yaml:4: storage.s3.accessKeyId: is required with secretAccessKey; write both (env:NAME or"
                        + " vault:TARGET/ACCOUNT), or neither for the AWS default credentials",
                problem("storage:\n  recordings: \"s3://rec\"\n  s3:\n    secretAccessKey: \"env:S\"\n"));
    }

    @Test
    void s3DetailsWithoutAnS3LocationAreAnError() {
        assertEquals("portier.yaml:2: storage.s3: applies only with storage.recordings: s3://bucket/prefix",
                problem("storage:\n  s3: { region: eu-west-1 }\n"));
    }

    @Test
    void plainHttpEndpointIsOnlyForLoopback() throws ConfigException {
        assertEquals("portier.yaml:1: storage.s3.endpoint: uses http:// to a host that is not loopback; use https://"
                        + " (recordings may show secrets)",
                problem("storage: { recordings: \"s3://rec\", s3: { endpoint: \"http://minio.example.net:9000\" } }\n"));
        assertEquals(URI.create("http://127.0.0.1:9000"),
                storage("storage: { recordings: \"s3://rec\", s3: { endpoint: \"http://127.0.0.1:9000\" } }\n").endpoint());
        assertTrue(problem("storage: { recordings: \"s3://rec\", s3: { endpoint: \"https://u:p@h.example.net\" } }\n")
                .contains("must not carry a user name"));
        assertTrue(problem("storage: { recordings: \"s3://rec\", s3: { endpoint: \"https://h.example.net/rec\" } }\n")
                .contains("must be only scheme, host and port"));
    }

    @Test
    void unknownS3KeyListsTheAllowedOnes() {
        assertEquals("portier.yaml:1: storage.s3.secret: unknown key; allowed keys: endpoint, region, pathStyle,"
                + " accessKeyId, secretAccessKey, retryMax, keepLocal", problem("storage: { recordings: \"s3://rec\", s3: { secret: x } }\n"));
    }

    @Test
    void retentionIsReadPerClassificationWithADefault() throws ConfigException {
        RetentionConfig r = ConfigLoader.parse("recording:\n  retention: { default: 400d, restricted: 3650d }\n",
                "portier.yaml").recording().retention();
        assertEquals(Optional.of(Duration.ofDays(3650)), r.of(Classification.RESTRICTED));
        assertEquals(Optional.of(Duration.ofDays(400)), r.of(Classification.PUBLIC));
        assertEquals(Optional.of(Duration.ofDays(3650)), r.longest());
        assertTrue(r.enabled());
    }

    @Test
    void withoutRetentionNothingExpires() throws ConfigException {
        RetentionConfig r = ConfigLoader.parse("", "portier.yaml").recording().retention();
        assertFalse(r.enabled());
        assertEquals(Optional.empty(), r.of(Classification.PUBLIC));
    }

    @Test
    void aClassWithoutEntryNorDefaultIsKeptForEverAndSoIsAnUnknownTarget() {
        RetentionConfig r = new RetentionConfig(Map.of(Classification.PUBLIC, Duration.ofDays(30)), null);
        assertEquals(Optional.empty(), r.of(Classification.RESTRICTED));
        assertEquals(Optional.empty(), r.longest());
    }

    @Test
    void retentionValuesAreValidated() {
        List<String> problems = problems("recording:\n  retention:\n    default: 400s\n    secret: 1d\n    internal: soon\n");
        assertEquals(List.of(
                "portier.yaml:3: recording.retention.default: must be at least 1d (recordings are evidence); write days,"
                        + " e.g. 400d",
                "portier.yaml:4: recording.retention.secret: unknown key; allowed keys: default, public, internal,"
                        + " confidential, restricted",
                "portier.yaml:5: recording.retention.internal: \"soon\" is not a duration (e.g. 30s, 15m, 4h, 1d, 1h30m)"),
                problems);
    }
}
