package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.grant.GrantState;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.RequestState;
import dev.portier.access.service.DefaultAccessService;
import dev.portier.access.service.Notifier;
import dev.portier.access.store.JdbcAccessStore;
import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.core.Auditor;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leaver watch's decisions with a directory the test controls: an outage of Keycloak cuts nobody off and is
 * audited once as stale; once Keycloak answers, a disabled holder is cut off.
 */
class LeaverWatchTest {
    @TempDir
    Path tmp;
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final FakeDirectory directory = new FakeDirectory();
    private JdbcAccessStore store;
    private LeaverWatch watch;

    @BeforeEach
    void setUp() throws Exception {
        PortierConfig config = ConfigLoader.parse("""
                identity:
                  local:
                    users: []
                  keycloak:
                    url: "http://127.0.0.1:1"
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "env:UNUSED" }
                    realms:
                      - { name: employees, clientId: portier }
                targets:
                  - { name: lab-1, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: lab }, accounts: [admin] }
                policies:
                  - name: lab
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: lab } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """.formatted("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfL3Y3Of6lLWvETizTMWGsfQELu+tKQGi8BwnxV8Ndi x"),
                "leaver-watch-test.yaml");
        var kc = config.identity().keycloak().orElseThrow();
        Clock clock = Clock.systemUTC();
        KeycloakTokenValidator tokens = new KeycloakTokenValidator(kc, new RealmKeys(Map.of("employees",
                URI.create("http://127.0.0.1:1/certs")), HttpClient.newHttpClient(), clock), clock);
        KeycloakIntegration integration = new KeycloakIntegration(kc, HttpClient.newHttpClient(), tokens,
                new IdentityMapper(kc, name -> false), directory, name -> false, clock);
        store = JdbcAccessStore.embedded(tmp);
        IdentityProvider nobody = new IdentityProvider() {
            @Override
            public Optional<Identity> authenticateByPublicKey(String user, String key) {
                return Optional.empty();
            }

            @Override
            public Optional<Identity> lookup(String user) {
                return Optional.empty();
            }

            @Override
            public List<Identity> all() {
                return List.of();
            }
        };
        DefaultAccessService access = new DefaultAccessService(config, new PolicyEngine(config), store, nobody,
                GrantSigner.generate(), audit::add, Notifier.NONE, clock);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AccessRequest filed = new AccessRequest("r-1a2b3c", "kate", "employees", "lab-1", "admin", "lab", "work", null,
                Duration.ofHours(1), null, now, now.plus(1, ChronoUnit.HOURS), RequestState.PENDING, false, false,
                List.of(), null, null, null, 0);
        store.insertRequest(filed);
        assertTrue(store.decide(filed.withState(RequestState.APPROVED, null, "approved", now), 0, new Grant("g-1a2b3c",
                "r-1a2b3c", "kate", "lab-1", "admin", "lab", now, now.plus(1, ChronoUnit.HOURS), GrantState.ACTIVE,
                List.of("sam"), "work", null, false, false, "x.y.z", null, null, null, null, 0)));
        watch = new LeaverWatch(integration, access, store, List::of, name -> false, new Auditor(audit::add));
    }

    @AfterEach
    void tearDown() {
        watch.close();
        store.close();
    }

    @Test
    void keycloakOutageCutsNobodyOffAndIsAuditedOnceAsStale() throws Exception {
        directory.down = true;
        watch.poll();
        watch.poll();
        assertEquals(GrantState.ACTIVE, store.grant("g-1a2b3c").orElseThrow().state(), "nobody cut off");
        assertEquals(1, count("identity.watch.stale"), "audited once, not at every poll");
        assertEquals(0, count("identity.removed"));

        directory.down = false;
        directory.kate = new DirectoryUser("employees", "id-kate", "kate", false, Set.of("netops"), Set.of(), Set.of(),
                List.of());
        watch.poll();
        assertEquals(1, count("identity.watch.restored"));
        assertEquals(GrantState.REVOKED, store.grant("g-1a2b3c").orElseThrow().state(), "cut off once Keycloak answers");
        assertTrue(audit.stream().anyMatch(e -> e.type().equals("identity.removed")
                && e.reason().equals("disabled in Keycloak realm employees")));
    }

    @Test
    void enabledHolderInTheGroupKeepsTheGrant() throws Exception {
        directory.kate = new DirectoryUser("employees", "id-kate", "kate", true, Set.of("netops"), Set.of(), Set.of(),
                List.of());
        watch.poll();
        watch.poll();
        assertEquals(GrantState.ACTIVE, store.grant("g-1a2b3c").orElseThrow().state());
        assertEquals(0, count("identity.removed"));
    }

    @Test
    void anotherAccountUnderTheSameNameIsALeaver() throws Exception {
        directory.kate = new DirectoryUser("employees", "id-kate", "kate", true, Set.of("netops"), Set.of(), Set.of(),
                List.of());
        watch.poll();
        directory.kate = new DirectoryUser("employees", "id-someone-else", "kate", true, Set.of("netops"), Set.of(),
                Set.of(), List.of());
        watch.poll();
        assertEquals(GrantState.REVOKED, store.grant("g-1a2b3c").orElseThrow().state());
        assertTrue(audit.stream().anyMatch(e -> e.type().equals("identity.removed")
                && e.reason().contains("another account now has the name")));
    }

    private long count(String type) {
        return audit.stream().filter(e -> e.type().equals(type)).count();
    }

    private static final class FakeDirectory implements KeycloakDirectory {
        volatile boolean down;
        volatile DirectoryUser kate;

        @Override
        public Optional<DirectoryUser> user(String realm, String username) throws KeycloakException {
            if (down) {
                throw new KeycloakException("Keycloak cannot tell about users of realm " + realm + " (connection refused)");
            }
            return username.equals("kate") ? Optional.ofNullable(kate) : Optional.empty();
        }

        @Override
        public List<DirectoryUser> users(String realm, int max) {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
