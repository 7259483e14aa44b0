package dev.portier.access.service;

import dev.portier.config.ConfigException;
import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;

/**
 * The people, targets, policies and SoD rules the service tests run against, written as a user would write them.
 * Each policy exists for one kind of test; the comment beside it says which.
 */
final class ServiceConfig {
    private static final String HOST_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFX272wZQfRQd9giFN/A2p8vvLKkYBEJSeiGSvU9SMxI";

    static final String USERS = """
            identity:
              local:
                users:
                  - { name: alice, teams: [netops], roles: [operator] }
                  - { name: bob, teams: [security], roles: [approver] }
                  - { name: erin, teams: [security], roles: [approver] }
                  - { name: frank, teams: [change], roles: [approver] }
                  - { name: carol, teams: [audit], roles: [auditor] }
                  - { name: mallory, teams: [marketing], roles: [operator] }
                  - { name: olga, teams: [netops], roles: [auditor, operator] }
                  - { name: dave, realm: partners, teams: [acme], roles: [operator] }
                  - { name: solo, teams: [lab], roles: [operator] }
            """;

    static final String REST = """
            targets:
              - { name: rtr-bru-01, address: "10.0.0.1", hostKey: "%1$s", classification: restricted,
                  labels: { kind: router, contract: acme }, accounts: [admin, readonly] }
              - { name: rtr-ams-01, address: "10.0.0.2", hostKey: "%1$s", classification: confidential,
                  labels: { kind: router }, accounts: [admin, readonly] }
              - { name: app-lin-01, address: "10.0.0.3", hostKey: "%1$s", classification: internal,
                  labels: { kind: linux }, accounts: [deploy, root] }
              - { name: core-sw-01, address: "10.0.0.4", hostKey: "%1$s", classification: confidential,
                  labels: { kind: switch }, accounts: [admin] }
              - { name: fw-ams-01, address: "10.0.0.5", hostKey: "%1$s", classification: confidential,
                  labels: { kind: firewall }, accounts: [admin] }
              - { name: billing-db-01, address: "10.0.0.6", hostKey: "%1$s", classification: internal,
                  labels: { system: billing }, accounts: [dba] }
              - { name: audit-db-01, address: "10.0.0.7", hostKey: "%1$s", classification: internal,
                  labels: { system: audit-store }, accounts: [dba] }
              - { name: acme-srv-01, address: "10.0.0.8", hostKey: "%1$s", classification: internal,
                  labels: { kind: supplier-box, contract: acme }, accounts: [ops] }
              - { name: globex-srv-01, address: "10.0.0.9", hostKey: "%1$s", classification: internal,
                  labels: { kind: supplier-box, contract: globex }, accounts: [ops] }
              - { name: lab-01, address: "10.0.0.10", hostKey: "%1$s", classification: internal,
                  labels: { kind: lab }, accounts: [root] }
            policies:
              # The happy path (confidential: one approver), the restricted floor (rtr-bru-01), break-glass.
              - name: netops-routers
                subjects: { teams: [netops] }
                targets: { labels: { kind: router } }
                approval: { approvers: [{ teams: [security] }], count: 1, maxDuration: 4h, pendingTimeout: 2h }
                breakGlass: { allowed: true, maxDuration: 1h }
              # No break-glass key at all; count 1 for the races.
              - name: linux-deploy
                subjects: { teams: [netops] }
                targets: { names: [app-lin-01] }
                accounts: [deploy]
                approval: { approvers: [{ roles: [approver] }], maxDuration: 2h }
              # Single use; break-glass written and refused.
              - name: linux-root-once
                subjects: { teams: [netops] }
                targets: { names: [app-lin-01] }
                accounts: [root]
                approval: { approvers: [{ roles: [approver] }], singleUse: true }
                breakGlass: { allowed: false }
              # Two AND groups: bob is in both, so he cannot fill both.
              - name: switch-change
                subjects: { teams: [netops] }
                targets: { names: [core-sw-01] }
                approval: { approvers: [{ teams: [security] }, { roles: [approver] }] }
              # Two distinct people on a confidential target.
              - name: firewall-two
                subjects: { teams: [netops] }
                targets: { names: [fw-ams-01] }
                approval: { approvers: [{ roles: [approver] }], count: 2 }
              # The toxic combination billing-vs-audit.
              - name: data-access
                subjects: { teams: [netops] }
                targets: { names: [billing-db-01, audit-db-01] }
                approval: { approvers: [{ roles: [approver] }] }
              # Suppliers: contract label and office-hours window.
              - name: acme-boxes
                subjects: { teams: [acme], realms: [partners] }
                targets: { labels: { kind: supplier-box } }
                approval: { approvers: [{ roles: [approver] }] }
                windows:
                  - { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00", zone: "Europe/Brussels" }
              # Only the requester could approve.
              - name: lab-self
                subjects: { users: [solo] }
                targets: { names: [lab-01] }
                approval: { approvers: [{ users: [solo] }] }
            sod:
              approverIndependence: { classifications: [restricted], independentOf: team }
              exclusiveAccess:
                - { name: billing-vs-audit, a: { labels: { system: billing } }, b: { labels: { system: audit-store } } }
              roleConflicts:
                - { name: auditor-operator, roles: [auditor, operator] }
              suppliers: { realms: [partners], contractLabel: contract }
            """.formatted(HOST_KEY);

    private ServiceConfig() {
    }

    static PortierConfig standard() {
        return parse(USERS + REST);
    }

    /** The standard targets and policies with other users, as after a configuration reload. */
    static PortierConfig withUsers(String usersYaml) {
        return parse(usersYaml + REST);
    }

    private static PortierConfig parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "t.yaml");
        } catch (ConfigException e) {
            throw new IllegalStateException("the test configuration is invalid: " + e.getMessage(), e);
        }
    }
}
