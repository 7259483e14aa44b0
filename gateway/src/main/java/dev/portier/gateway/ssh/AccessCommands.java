package dev.portier.gateway.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.grant.Grant;
import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.service.AccessException;
import dev.portier.access.service.AccessService;
import dev.portier.access.service.RequestResult;
import dev.portier.access.service.RequestSpec;
import dev.portier.config.Durations;
import dev.portier.gateway.core.LiveSessions;
import dev.portier.gateway.core.LiveSessions.LiveSession;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The SSH commands of time-boxed access: request, requests, approve, deny, cancel, grants, revoke, review,
 * sessions, kill. Runs on a worker thread (the service touches the database); writes through
 * {@link CommandIO} and returns the exit status.
 */
final class AccessCommands {
    static final Set<String> NAMES = Set.of("request", "requests", "approve", "deny", "cancel", "grants", "revoke",
            "review", "sessions", "kill");
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();
    private static final Duration WAIT_POLL = Duration.ofSeconds(1);

    private final AccessService access;
    private final LiveSessions live;

    AccessCommands(AccessService access, LiveSessions live) {
        this.access = access;
        this.live = live;
    }

    int run(Identity id, String cmd, List<String> args, CommandIO io) throws AccessException, InterruptedException {
        return switch (cmd) {
            case "request" -> request(id, CommandArgs.parse(args, Set.of("--wait", "--break-glass", "--json"),
                    Set.of("--reason", "--ticket", "--duration", "--start")), io);
            case "requests" -> requests(id, CommandArgs.parse(args, Set.of("--pending", "--json"), Set.of()), io);
            case "approve" -> decide(id, CommandArgs.parse(args, Set.of("--json"), Set.of("--comment")), io, true);
            case "deny" -> decide(id, CommandArgs.parse(args, Set.of("--json"), Set.of("--comment")), io, false);
            case "cancel" -> cancel(id, CommandArgs.parse(args, Set.of("--json"), Set.of()), io);
            case "grants" -> grants(id, CommandArgs.parse(args, Set.of("--json", "--all", "--overdue"), Set.of()), io);
            case "revoke" -> revoke(id, CommandArgs.parse(args, Set.of("--json"), Set.of("--reason")), io);
            case "review" -> review(id, CommandArgs.parse(args, Set.of("--ok", "--json"), Set.of("--comment")), io);
            case "sessions" -> sessions(id, CommandArgs.parse(args, Set.of("--json"), Set.of()), io);
            case "kill" -> kill(id, CommandArgs.parse(args, Set.of(), Set.of()), io);
            default -> throw new IllegalArgumentException("unknown command '" + cmd + "'");
        };
    }

    private int request(Identity id, CommandArgs a, CommandIO io) throws AccessException, InterruptedException {
        if (a.positional.size() != 1) {
            io.err("portier: usage: request <target>[/<account>] --reason TEXT [--ticket ID] [--duration 2h]"
                    + " [--start 2026-12-01T08:00:00Z] [--break-glass] [--wait]\n");
            return 2;
        }
        String ref = a.positional.get(0);
        int slash = ref.indexOf('/');
        String target = slash < 0 ? ref : ref.substring(0, slash);
        String account = slash < 0 ? null : ref.substring(slash + 1);
        Duration duration = null;
        Instant start = null;
        try {
            duration = a.value("--duration") == null ? null : Durations.parse(a.value("--duration"));
            start = a.value("--start") == null ? null : Instant.parse(a.value("--start"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            io.err("portier: " + e.getMessage() + "\n");
            return 2;
        }
        RequestResult r = access.request(id, new RequestSpec(target, account, a.value("--reason"), a.value("--ticket"),
                duration, start, a.flag("--break-glass")));
        if (a.flag("--json")) {
            io.out(json(r.request()) + "\n");
        } else if (r.grant() != null) {
            io.out("Break-glass access granted: " + r.grant().id() + " for " + r.grant().target() + "/"
                    + r.grant().account() + " until " + r.grant().end() + ". An approver must review it within 24 h.\n");
        } else {
            io.out("Request " + r.request().id() + " filed for " + r.request().target() + "/" + r.request().account()
                    + " (" + Durations.format(r.request().duration()) + "), policy " + r.request().policy() + ".\n");
            io.out("Who can approve: " + String.join(", ", r.approvers()) + ".\n");
        }
        if (!a.flag("--wait") || r.grant() != null) {
            return 0;
        }
        return waitFor(id, r.request().id(), io);
    }

    /** Polls the store (another node may record the approval) and shows a countdown to the request's expiry. */
    int waitFor(Identity id, String requestId, CommandIO io) throws AccessException, InterruptedException {
        long lastShown = -1;
        while (io.open()) {
            AccessRequest r = access.request(id, requestId);
            if (r.state() != RequestState.PENDING) {
                io.out("\rRequest " + r.id() + " is " + r.state().name().toLowerCase() + describeDecision(r) + ".\n");
                return r.state() == RequestState.APPROVED ? 0 : 1;
            }
            long left = Math.max(0, Duration.between(Instant.now(), r.expires()).toSeconds());
            if (left / 10 != lastShown) {
                lastShown = left / 10;
                io.out(String.format("\rWaiting for approval (%d of it so far); the request expires in %dh%02dm%02ds ",
                        r.approvals().size(), left / 3600, left % 3600 / 60, left % 60));
            }
            Thread.sleep(WAIT_POLL.toMillis());
        }
        return 1;
    }

    private static String describeDecision(AccessRequest r) {
        if (r.state() == RequestState.APPROVED) {
            return " (approved by " + String.join(", ", r.approvals().stream().map(Approval::approver).toList()) + ")";
        }
        return r.decidedBy() == null ? "" : " by " + r.decidedBy() + (r.comment() == null ? "" : ": " + r.comment());
    }

    private int requests(Identity id, CommandArgs a, CommandIO io) throws AccessException {
        List<AccessRequest> list = access.requests(id, a.flag("--pending"));
        for (AccessRequest r : list) {
            io.out(a.flag("--json") ? json(r) + "\n" : String.format("%s  %-9s %-10s %s/%s  %s  %s%n", r.id(),
                    r.state().name().toLowerCase(), r.requester(), r.target(), r.account(),
                    Durations.format(r.duration()), PortierCommands.printable(r.reason())));
        }
        if (list.isEmpty() && !a.flag("--json")) {
            io.out("No request to show.\n");
        }
        return 0;
    }

    private int decide(Identity id, CommandArgs a, CommandIO io, boolean approve) throws AccessException {
        if (a.positional.size() != 1 || (!approve && a.value("--comment") == null)) {
            io.err("portier: usage: " + (approve ? "approve <id> [--comment TEXT]" : "deny <id> --comment TEXT") + "\n");
            return 2;
        }
        AccessRequest r = approve ? access.approve(id, a.positional.get(0), a.value("--comment"))
                : access.deny(id, a.positional.get(0), a.value("--comment"));
        if (a.flag("--json")) {
            io.out(json(r) + "\n");
        } else if (approve && r.state() == RequestState.PENDING) {
            io.out("Approval recorded for " + r.id() + "; more approvals are needed.\n");
        } else {
            io.out("Request " + r.id() + " is now " + r.state().name().toLowerCase() + ".\n");
        }
        return 0;
    }

    private int cancel(Identity id, CommandArgs a, CommandIO io) throws AccessException {
        if (a.positional.size() != 1) {
            io.err("portier: usage: cancel <request-id>\n");
            return 2;
        }
        AccessRequest r = access.cancel(id, a.positional.get(0));
        io.out(a.flag("--json") ? json(r) + "\n" : "Request " + r.id() + " cancelled.\n");
        return 0;
    }

    private int grants(Identity id, CommandArgs a, CommandIO io) throws AccessException {
        List<Grant> list = a.flag("--overdue") ? access.overdueReviews() : access.grants(id, !a.flag("--all"));
        for (Grant g : list) {
            io.out(a.flag("--json") ? json(g) + "\n" : String.format("%s  %-8s %-10s %s/%s  %s .. %s%s%n", g.id(),
                    g.state().name().toLowerCase(), g.user(), g.target(), g.account(), g.start(), g.end(),
                    g.breakGlass() ? (g.reviewedBy() == null ? "  BREAK-GLASS, not reviewed" : "  break-glass, reviewed")
                            : ""));
        }
        if (list.isEmpty() && !a.flag("--json")) {
            io.out("No grant to show.\n");
        }
        return 0;
    }

    private int revoke(Identity id, CommandArgs a, CommandIO io) throws AccessException {
        if (a.positional.size() != 1) {
            io.err("portier: usage: revoke <grant-id> [--reason TEXT]\n");
            return 2;
        }
        Grant g = access.revoke(id, a.positional.get(0), a.value("--reason"));
        io.out(a.flag("--json") ? json(g) + "\n" : "Grant " + g.id() + " revoked; its sessions are being closed.\n");
        return 0;
    }

    private int review(Identity id, CommandArgs a, CommandIO io) throws AccessException {
        if (a.positional.size() != 1 || !a.flag("--ok")) {
            io.err("portier: usage: review <break-glass-grant-id> --ok [--comment TEXT]\n");
            return 2;
        }
        Grant g = access.review(id, a.positional.get(0), a.value("--comment"));
        io.out(a.flag("--json") ? json(g) + "\n" : "Break-glass grant " + g.id() + " reviewed.\n");
        return 0;
    }

    private int sessions(Identity id, CommandArgs a, CommandIO io) {
        boolean all = privileged(id);
        for (LiveSession s : live.list()) {
            if (!all && !s.user().equals(id.user())) {
                continue;
            }
            if (a.flag("--json")) {
                ObjectNode n = JSON.createObjectNode();
                n.put("id", s.id());
                n.put("sessionId", s.sessionId());
                n.put("user", s.user());
                n.put("target", s.target());
                n.put("account", s.account());
                n.put("start", s.start().toString());
                n.put("grant", s.grantId());
                n.put("end", s.end() == null ? null : s.end().toString());
                io.out(n + "\n");
            } else {
                io.out(String.format("%s  %-10s %s/%s  since %s%s%n", s.id(), s.user(), s.target(), s.account(),
                        s.start(), s.end() == null ? "" : "  until " + s.end()));
            }
        }
        return 0;
    }

    private int kill(Identity id, CommandArgs a, CommandIO io) {
        if (a.positional.size() != 1) {
            io.err("portier: usage: kill <session-id>\n");
            return 2;
        }
        String which = a.positional.get(0);
        boolean all = privileged(id);
        int n = live.terminate(s -> (s.id().equals(which) || s.sessionId().equals(which))
                && (all || s.user().equals(id.user())), "the session was ended by " + id.user());
        if (n == 0) {
            io.err("portier: no live session " + PortierCommands.printable(which) + " that you may end; run: sessions\n");
            return 1;
        }
        io.out("Ended " + n + " session channel(s).\n");
        return 0;
    }

    /** Approvers and auditors see and end everyone's sessions; others only their own. */
    static boolean privileged(Identity id) {
        return dev.portier.gateway.core.SessionVisibility.seesAll(id);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            return "{}";
        }
    }
}
