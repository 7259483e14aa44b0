package dev.portier.gateway.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.identity.Identity;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.policy.ReachableTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The commands a user runs on Portier itself ({@code ssh -p 2222 alice@portier targets}). Pure: text in,
 * text and an exit status out, so the SSH front, the menu and tests share one implementation.
 */
final class PortierCommands {
    /** What a command printed and how it ended. */
    record Result(int exit, String out, String err) {
        static Result ok(String out) {
            return new Result(0, out, "");
        }

        static Result error(int exit, String err) {
            return new Result(exit, "", err);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PolicyEngine policies;
    private final String host;
    private final AccessCommands access;
    private final TokenCommand token;
    private final RecordingCommands recordings;

    PortierCommands(PolicyEngine policies, String host, AccessCommands access) {
        this(policies, host, access, null, null);
    }

    PortierCommands(PolicyEngine policies, String host, AccessCommands access, TokenCommand token,
            RecordingCommands recordings) {
        this.policies = policies;
        this.host = host;
        this.access = access;
        this.token = token;
        this.recordings = recordings;
    }

    /** Runs a command that may stream output (request --wait); returns its exit status. */
    int run(Identity id, String commandLine, CommandIO io) throws InterruptedException {
        List<String> args;
        try {
            args = tokenize(commandLine);
        } catch (IllegalArgumentException e) {
            io.err("portier: " + e.getMessage() + "\n");
            return 2;
        }
        if (!args.isEmpty() && token != null && TokenCommand.NAME.equals(args.get(0))) {
            try {
                return token.run(id, args.subList(1, args.size()), io);
            } catch (IllegalArgumentException e) {
                io.err("portier: token: " + e.getMessage() + "; run: " + hint(id) + " help\n");
                return 2;
            }
        }
        if (!args.isEmpty() && recordings != null && (RecordingCommands.NAMES.contains(args.get(0))
                || RecordingCommands.isSpotCheckReview(args.get(0), args.subList(1, args.size())))) {
            try {
                return recordings.run(id, args.get(0), args.subList(1, args.size()), io);
            } catch (IllegalArgumentException e) {
                io.err("portier: " + args.get(0) + ": " + e.getMessage() + "; run: " + hint(id) + " help\n");
                return 2;
            }
        }
        if (!args.isEmpty() && access != null && AccessCommands.NAMES.contains(args.get(0))) {
            try {
                return access.run(id, args.get(0), args.subList(1, args.size()), io);
            } catch (dev.portier.access.service.AccessException e) {
                io.err("portier: " + e.getMessage() + "\n");
                return 1;
            } catch (IllegalArgumentException e) {
                io.err("portier: " + args.get(0) + ": " + e.getMessage() + "; run: " + hint(id) + " help\n");
                return 2;
            }
        }
        Result r = run(id, commandLine);
        if (!r.out().isEmpty()) {
            io.out(r.out());
        }
        if (!r.err().isEmpty()) {
            io.err(r.err());
        }
        return r.exit();
    }

    /** Runs a command that does not stream (help, whoami, targets) and collects its output. */
    Result run(Identity id, String commandLine) {
        List<String> args;
        try {
            args = tokenize(commandLine);
        } catch (IllegalArgumentException e) {
            return Result.error(2, "portier: " + e.getMessage() + "\n");
        }
        if (args.isEmpty()) {
            return help(id);
        }
        String cmd = args.get(0);
        List<String> rest = args.subList(1, args.size());
        boolean json = rest.contains("--json");
        if ((recordings == null && RecordingCommands.NAMES.contains(cmd)) || (access == null && AccessCommands.NAMES.contains(cmd))
                || (token == null && TokenCommand.NAME.equals(cmd))) {
            return Result.error(2, "portier: '" + cmd + "' is not available in this release yet; run: " + hint(id)
                    + " help\n");
        }
        if (!List.of("help", "whoami", "targets").contains(cmd)) {
            return Result.error(2, "portier: unknown command '" + printable(cmd) + "'; run: " + hint(id) + " help\n");
        }
        for (String a : rest) {
            if (!a.equals("--json")) {
                return Result.error(2, "portier: " + cmd + ": unknown option '" + printable(a) + "'; run: " + hint(id)
                        + " help\n");
            }
        }
        return switch (cmd) {
            case "help" -> help(id);
            case "whoami" -> whoami(id, json);
            default -> targets(id, json);
        };
    }

    private String hint(Identity id) {
        return "ssh -p 2222 " + id.user() + "@" + host;
    }

    private Result help(Identity id) {
        String h = hint(id);
        return Result.ok(String.join("\n",
                "Portier: the privileged access gateway.",
                "",
                "Connect to a target (credentials are injected; the session is recorded):",
                "  ssh -p 2222 " + id.user() + ":<target>@" + host + "               the target's first account",
                "  ssh -p 2222 " + id.user() + ":<account>@<target>@" + host + "     a named account",
                "  scp -P 2222 FILE " + id.user() + "#<target>@" + host + ":/tmp/     files ('#' works as ':')",
                "",
                "Commands (" + h + " <command>):",
                "  help                       this text",
                "  whoami [--json]            who Portier thinks you are",
                "  targets [--json]           the targets you may reach and how",
                "  request <target>[/<account>] --reason TEXT [--ticket ID] [--duration 2h] [--start TIME]",
                "          [--break-glass] [--wait]    ask for time-boxed access (--wait: until decided)",
                "  requests [--pending]       your requests, and those you may approve",
                "  approve <id> [--comment TEXT] | deny <id> --comment TEXT | cancel <id>",
                "  grants [--all] [--overdue] your grants (approvers: everyone's; --overdue: unreviewed break-glass)",
                "  revoke <grant-id> [--reason TEXT]   end a grant and its live sessions",
                "  review <grant-id> --ok [--comment TEXT]   post-hoc review of a break-glass grant",
                "  reviews [--all] | review <recording-id> --ok | --finding TEXT   spot checks (auditors)",
                "  sessions | kill <id>       live sessions (yours; approvers and auditors: all)",
                "  recordings [--user U] [--target T] [--json]   recorded sessions (yours; auditors: all)",
                "  recordings --grep TEXT [--user U] [--target T] [--label k=v]... [--since 7d] [--limit N]",
                "          [--json]           search typed commands and output (yours; auditors: all; audited)",
                "  replay <recording-id> [--speed N] [--skip-idle] [--from [hh:]mm:ss]",
                "                             watch a recording (yours; auditors: any; audited)",
                "  hold <recording-id> --reason TEXT | release <recording-id>   legal hold (auditors; audited)",
                "  token [--ttl 15m]          a bearer token for the REST API (at most 1h; keep it secret)",
                "Most commands take --json for scripts.",
                "",
                "With no command and no target you get an interactive menu.",
                ""));
    }

    private Result whoami(Identity id, boolean json) {
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("user", id.user());
            n.put("realm", id.realm());
            n.set("teams", JSON.valueToTree(new TreeSet<>(id.teams())));
            n.set("roles", JSON.valueToTree(new TreeSet<>(id.roles())));
            return Result.ok(n + "\n");
        }
        return Result.ok("user:  " + id.user() + "\nrealm: " + id.realm() + "\nteams: "
                + String.join(", ", new TreeSet<>(id.teams())) + "\nroles: "
                + String.join(", ", new TreeSet<>(id.roles())) + "\n");
    }

    private Result targets(Identity id, boolean json) {
        List<ReachableTarget> reachable = policies.reachable(id);
        if (json) {
            StringBuilder sb = new StringBuilder();
            for (ReachableTarget r : reachable) {
                ObjectNode n = JSON.createObjectNode();
                n.put("name", r.target().name());
                n.put("classification", r.target().classification().key());
                n.set("labels", JSON.valueToTree(r.target().labels()));
                n.set("accounts", JSON.valueToTree(r.accounts()));
                ArrayNode ch = n.putArray("channels");
                for (ChannelKind k : ChannelKind.values()) {
                    if (r.channels().contains(k)) {
                        ch.add(k.key());
                    }
                }
                n.put("access", r.approvalRequired() ? "approval" : "standing");
                n.set("policies", JSON.valueToTree(r.policies()));
                sb.append(n).append('\n');
            }
            return Result.ok(sb.toString());
        }
        if (reachable.isEmpty()) {
            return Result.ok("No target is open to you; ask your security officer for a policy.\n");
        }
        StringBuilder sb = new StringBuilder();
        for (String line : targetLines(reachable)) {
            sb.append(line).append('\n');
        }
        return Result.ok(sb.toString());
    }

    /** Aligned lines, one per reachable target, numbered for the menu. */
    static List<String> targetLines(List<ReachableTarget> reachable) {
        int width = reachable.stream().mapToInt(r -> r.target().name().length()).max().orElse(4);
        List<String> lines = new ArrayList<>();
        int i = 1;
        for (ReachableTarget r : reachable) {
            String access = r.approvalRequired() ? "requires approval" : "standing access";
            lines.add(String.format(Locale.ROOT, "%3d) %-" + width + "s  %-22s %s (%s)", i++, r.target().name(),
                    String.join(",", r.accounts()), access, String.join(", ", r.policies())));
        }
        return lines;
    }

    /** Splits a command line on blanks, honouring single and double quotes. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        if (line == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in command");
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Never echo control characters back to a terminal. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
