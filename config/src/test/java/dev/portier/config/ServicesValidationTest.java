package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code notifications:} and {@code storage:}. */
class ServicesValidationTest {

    @Test
    void webhookIsReadWithItsEvents() throws ConfigException {
        NotificationsConfig notifications = ConfigLoader.parse("notifications:\n  webhooks:\n"
                + "    - { url: \"https://hooks.example.net/portier\", events: [request.created, breakglass] }\n", "portier.yaml")
                .notifications();
        assertEquals(new WebhookConfig(URI.create("https://hooks.example.net/portier"), Set.of("request.created", "breakglass")),
                notifications.webhooks().get(0));
    }

    @Test
    void webhookWithoutEventsReceivesThemAll() throws ConfigException {
        WebhookConfig hook = ConfigLoader.parse("notifications: { webhooks: [{ url: \"http://10.0.0.5:8080/hook\" }] }\n",
                "portier.yaml").notifications().webhooks().get(0);
        assertEquals(Set.copyOf(WebhookConfig.EVENTS), hook.events());
    }

    @Test
    void unknownWebhookEventListsTheAllowedOnes() {
        assertEquals("portier.yaml:1: notifications.webhooks[0].events[0]: unknown event \"request.approved\"; allowed:"
                        + " request.created, request.decided, breakglass, grant.expired",
                problem("notifications: { webhooks: [{ url: \"https://h.example.net/\", events: [request.approved] }] }\n"));
    }

    @Test
    void webhookUrlMustBeHttpOrHttps() {
        assertEquals("portier.yaml:1: notifications.webhooks[0].url: is not an https:// or http:// URL with a host,"
                        + " e.g. https://hooks.example.net/portier",
                problem("notifications: { webhooks: [{ url: \"ftp://h.example.net/\" }] }\n"));
    }

    @Test
    void webhookUrlWithCredentialsIsRefusedWithoutEchoingThem() {
        String problem = problem("notifications: { webhooks: [{ url: \"https://u:s3cret@h.example.net/\" }] }\n");
        assertEquals("portier.yaml:1: notifications.webhooks[0].url: must not carry a user name or password;"
                + " authenticate the receiver another way", problem);
        assertFalse(problem.contains("s3cret"));
    }

    @Test
    void storageDefaultsToTheEmbeddedDatabase() throws ConfigException {
        assertTrue(ConfigLoader.parse("", "portier.yaml").storage().embedded());
    }

    @Test
    void postgresStorageIsReadWithSecretsFromTheEnvironment() throws ConfigException {
        StorageConfig storage = ConfigLoader.parse("storage:\n  database: \"jdbc:postgresql://db:5432/portier\"\n"
                + "  user: portier\n  password: \"env:PORTIER_DB_PASSWORD\"\n", "portier.yaml").storage();
        assertEquals(new StorageConfig("jdbc:postgresql://db:5432/portier", "portier", "env:PORTIER_DB_PASSWORD"), storage);
        assertEquals("pw", StorageConfig.resolve(storage.password(), Map.of("PORTIER_DB_PASSWORD", "pw")));
        assertEquals("portier", StorageConfig.resolve(storage.user(), Map.of()));
    }

    @Test
    void passwordInClearIsRefusedWithoutEchoingIt() {
        String problem = problem("storage: { database: \"jdbc:postgresql://db/portier\", password: hunter2 }\n");
        assertEquals("portier.yaml:1: storage.password: must not be written in clear; write env:NAME and set that"
                + " environment variable", problem);
        assertFalse(problem.contains("hunter2"));
    }

    @Test
    void passwordInsideTheJdbcUrlIsRefused() {
        String problem = problem("storage: { database: \"jdbc:postgresql://db/portier?user=p&password=hunter2\" }\n");
        assertEquals("portier.yaml:1: storage.database: must not carry a password; write storage.password: env:NAME instead",
                problem);
    }

    @Test
    void unsupportedDatabaseIsRefused() {
        assertEquals("portier.yaml:1: storage.database: is not a supported JDBC URL; use jdbc:postgresql://host:5432/db,"
                        + " jdbc:h2:..., or omit it for the embedded database",
                problem("storage: { database: \"jdbc:mysql://db/portier\" }\n"));
    }

    @Test
    void badEnvironmentVariableNameIsRefused() {
        assertEquals("portier.yaml:1: storage.password: env: must be followed by an environment variable name"
                        + " ([A-Za-z_][A-Za-z0-9_]*)",
                problem("storage: { database: \"jdbc:postgresql://db/portier\", password: \"env:DB-PASS\" }\n"));
    }

    @Test
    void credentialsWithoutADatabaseAreRefused() {
        assertEquals("portier.yaml:1: storage.user: applies only with storage.database; the embedded database needs none",
                problem("storage: { user: portier }\n"));
    }

    @Test
    void missingEnvironmentVariableIsNamedWithoutAValue() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StorageConfig.resolve("env:PORTIER_DB_PASSWORD", Map.of()));
        assertEquals("environment variable PORTIER_DB_PASSWORD is not set; storage needs it", e.getMessage());
    }
}
