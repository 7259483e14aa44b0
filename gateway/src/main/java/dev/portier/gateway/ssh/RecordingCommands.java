package dev.portier.gateway.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.evidence.Offsets;
import dev.portier.gateway.evidence.RecordingPlayer;
import dev.portier.gateway.evidence.RecordingSearch;
import dev.portier.gateway.evidence.ReviewQueue;
import dev.portier.gateway.evidence.SearchOutput;
import dev.portier.gateway.evidence.SearchRequest;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.crypt.RecordingCryptoException;
import dev.portier.recorder.index.SearchQuery;
import dev.portier.recorder.index.SearchResult;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The auditors' SSH commands on recordings: {@code recordings [--user U] [--target T] [--json]}, the search
 * {@code recordings --grep TEXT [--user U] [--target T] [--label k=v]... [--since 7d] [--limit N] [--json]}
 * and {@code replay <id> [--speed N] [--skip-idle] [--from [hh:]mm:ss]}. Auditors (role {@code auditor}) see,
 * search and replay every recording; everyone else only their own. Every search and every replay, and every
 * refused replay, is audited. Runs on the command pool: a replay sleeps between events. The spot-check queue:
 * {@code reviews [--all] [--json]} and {@code review <recording-id> --ok | --finding TEXT}, for auditors only;
 * legal holds ({@link HoldCommands}).
 */
final class RecordingCommands {
    static final Set<String> NAMES = Set.of("recordings", "replay", "reviews", "hold", "release");
    static final String AUDITOR = "auditor";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingStore store;
    private final RecordingSearch search;
    private final Auditor audit;
    private final ReviewQueue reviews;
    private final HoldCommands holds;

    /** @param search null when there is no index: {@code recordings --grep} then says so */
    RecordingCommands(RecordingStore store, RecordingSearch search, Auditor audit, ReviewQueue reviews) {
        this.store = store;
        this.search = search;
        this.audit = audit;
        this.reviews = reviews;
        this.holds = new HoldCommands(store, audit);
    }

    /** {@code review <id>} of a recording (spot check); break-glass grant ids ({@code g-...}) go elsewhere. */
    static boolean isSpotCheckReview(String cmd, List<String> args) {
        return "review".equals(cmd) && !args.isEmpty() && !args.get(0).startsWith("--")
                && !args.get(0).startsWith("g-");
    }

    int run(Identity id, String cmd, List<String> args, CommandIO io) throws InterruptedException {
        return switch (cmd) {
            case "recordings" -> list(id, CommandArgs.parse(args, Set.of("--json"),
                    Set.of("--user", "--target", "--grep", "--since", "--limit"), Set.of("--label")), io);
            case "replay" -> replay(id, CommandArgs.parse(args, Set.of("--skip-idle"), Set.of("--speed", "--from")),
                    io);
            case "reviews" -> listReviews(id, CommandArgs.parse(args, Set.of("--json", "--all"), Set.of()), io);
            case "review" -> review(id, CommandArgs.parse(args, Set.of("--ok", "--json"), Set.of("--finding")), io);
            case "hold", "release" -> holds.run(id, cmd, CommandArgs.parse(args, Set.of("--json"), Set.of("--reason")), io);
            default -> throw new IllegalArgumentException("unknown command '" + cmd + "'");
        };
    }

    static boolean seesAll(Identity id) {
        return id.roles().contains(AUDITOR);
    }

    private int list(Identity id, CommandArgs a, CommandIO io) {
        if (!a.positional.isEmpty()) {
            io.err("portier: usage: recordings [--user U] [--target T] [--json]"
                    + " | recordings --grep TEXT [--user U] [--target T] [--label k=v]... [--since 7d] [--limit N]\n");
            return 2;
        }
        if (a.value("--grep") != null) {
            return search(id, a, io);
        }
        if (a.value("--since") != null || a.value("--limit") != null || !a.values("--label").isEmpty()) {
            io.err("portier: recordings: --label, --since and --limit narrow a search; add --grep TEXT\n");
            return 2;
        }
        List<RecordingInfo> all;
        try {
            all = store.list();
        } catch (IOException e) {
            io.err("portier: recordings: the recordings cannot be read now; tell a Portier administrator\n");
            return 1;
        }
        String user = a.value("--user");
        String target = a.value("--target");
        StringBuilder sb = new StringBuilder();
        for (RecordingInfo r : all) {
            if ((!seesAll(id) && !id.user().equals(r.user())) || (user != null && !user.equals(r.user()))
                    || (target != null && !target.equals(r.target()))) {
                continue;
            }
            if (a.flag("--json")) {
                ObjectNode n = JSON.createObjectNode();
                n.put("id", r.id());
                n.put("sessionId", r.sessionId());
                n.put("user", r.user());
                n.put("target", r.target());
                n.put("account", r.account());
                n.put("start", r.start() == null ? null : r.start().toString());
                n.put("end", r.end() == null ? null : r.end().toString());
                n.put("status", r.status());
                sb.append(n).append('\n');
            } else {
                sb.append(String.format("%s  %-11s %-10s %s/%s  %s%n", r.id(), r.status(), r.user(), r.target(),
                        r.account(), r.start()));
            }
        }
        if (sb.length() == 0 && !a.flag("--json")) {
            sb.append(seesAll(id) ? "No recording matches.\n" : "No recording of yours matches.\n");
        }
        io.out(sb.toString());
        return 0;
    }

    /** {@code recordings --grep TEXT ...}: index-backed, audited, the viewer's own recordings unless an auditor. */
    private int search(Identity id, CommandArgs a, CommandIO io) {
        if (search == null) {
            io.err("portier: recordings: search is not available on this gateway; tell a Portier administrator\n");
            return 1;
        }
        SearchQuery query;
        try {
            query = new SearchRequest(a.value("--grep"), a.value("--user"), a.value("--target"), a.values("--label"),
                    a.value("--since"), a.value("--limit")).toQuery(Instant.now());
        } catch (IllegalArgumentException e) {
            io.err("portier: recordings: " + PortierCommands.printable(e.getMessage()) + "\n");
            return 2;
        }
        SearchResult result;
        try {
            result = search.search(id.user(), seesAll(id), seesAll(id) ? "auditor" : "owner", query);
        } catch (RecordingSearch.Refused e) {
            io.err("portier: recordings: " + e.getMessage() + "\n");
            return 1;
        } catch (IOException e) {
            io.err("portier: recordings: the search index cannot be read now; tell a Portier administrator\n");
            return 1;
        }
        io.out(SearchOutput.hits(result, a.flag("--json")));
        String notes = SearchOutput.notes(result, search.backlog());
        if (!notes.isEmpty()) {
            io.err(notes);
        }
        return 0;
    }

    private int replay(Identity id, CommandArgs a, CommandIO io) throws InterruptedException {
        if (a.positional.size() != 1) {
            io.err("portier: usage: replay <recording-id> [--speed N] [--skip-idle] [--from [hh:]mm:ss]\n");
            return 2;
        }
        String rid = a.positional.get(0);
        RecordingPlayer.Options options;
        try {
            options = RecordingPlayer.Options.parse(a.value("--speed"), a.flag("--skip-idle"), a.value("--from"));
        } catch (IllegalArgumentException e) {
            io.err("portier: replay: " + e.getMessage() + "\n");
            return 2;
        }
        Optional<RecordingInfo> found = store.find(rid);
        if (found.isEmpty()) {
            io.err("portier: replay: no recording " + PortierCommands.printable(rid) + "; run: recordings\n");
            return 1;
        }
        RecordingInfo r = found.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("recording", r.id());
        details.put("owner", r.user());
        details.put("account", r.account());
        if (!seesAll(id) && !id.user().equals(r.user())) {
            audit.record("recording.replay.refused", id.user(), r.target(), r.sessionId(), "deny", "not-auditor",
                    details);
            io.err("portier: replay: only auditors replay other people's sessions; run: recordings for yours\n");
            return 1;
        }
        details.put("speed", options.speed());
        details.put("skipIdle", options.skipIdle() ? Boolean.TRUE : null);
        details.put("from", a.value("--from") != null ? Offsets.format(options.fromMillis()) : null);
        if (!audit.record("recording.replayed", id.user(), r.target(), r.sessionId(), "allow",
                seesAll(id) ? "auditor" : "owner", details)) {
            io.err("portier: replay: the audit log cannot be written, so the replay is refused;"
                    + " tell a Portier administrator\n");
            return 1;
        }
        RecordingPlayer.Played played;
        try {
            played = RecordingPlayer.play(store, r.id(), options, new RecordingPlayer.Screen() {
                @Override
                public void output(String text) {
                    io.out(text);
                }

                @Override
                public boolean open() {
                    return io.open();
                }
            });
        } catch (RecordingCryptoException e) {
            // Its message names the cause (no or another master key, an altered chunk), never key material.
            io.err("portier: replay: " + e.getMessage() + "\n");
            return 1;
        } catch (IOException e) {
            io.err("portier: replay: recording " + r.id() + " cannot be read; run: portier verify " + r.id() + "\n");
            return 1;
        }
        if (!played.reachedFrom() && io.open()) {
            io.err("\r\nportier: replay: the recording ends at " + Offsets.format(played.endMillis())
                    + ", before --from " + Offsets.format(options.fromMillis()) + "; all of it was shown\r\n");
        }
        return 0;
    }

    private int listReviews(Identity id, CommandArgs a, CommandIO io) {
        if (!seesAll(id)) {
            io.err("portier: reviews: only auditors review sampled sessions\n");
            return 1;
        }
        StringBuilder sb = new StringBuilder();
        for (ReviewQueue.Review r : reviews.all()) {
            if (!r.pending() && !a.flag("--all")) {
                continue;
            }
            if (a.flag("--json")) {
                sb.append(json(r)).append('\n');
            } else {
                sb.append(String.format("%s  %-10s %-10s %-14s %s%n", r.recording(), r.user(), r.target(),
                        r.pending() ? "pending" : r.outcome() + " (" + r.reviewer() + ")",
                        r.finding() == null ? "" : r.finding()));
            }
        }
        if (sb.length() == 0 && !a.flag("--json")) {
            sb.append("No sampled session waits for review.\n");
        }
        io.out(sb.toString());
        return 0;
    }

    private int review(Identity id, CommandArgs a, CommandIO io) {
        String finding = a.value("--finding");
        if (a.positional.size() != 1 || a.flag("--ok") == (finding != null) || (finding != null && finding.isBlank())) {
            io.err("portier: usage: review <recording-id> --ok | --finding TEXT\n");
            return 2;
        }
        if (!seesAll(id)) {
            io.err("portier: review: only auditors review sampled sessions\n");
            return 1;
        }
        String rid = a.positional.get(0);
        if (!PortierCommands.printable(rid).equals(rid)) {
            io.err("portier: review: not a recording id; run: reviews\n");
            return 2;
        }
        ReviewQueue.Review r;
        try {
            r = reviews.decide(rid, id.user(), finding);
        } catch (ReviewQueue.ReviewException e) {
            io.err("portier: review: " + e.getMessage() + "\n");
            return 1;
        } catch (IOException e) {
            io.err("portier: review: the review queue cannot be written; tell a Portier administrator\n");
            return 1;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("recording", r.recording());
        details.put("user", r.user());
        details.put("outcome", r.outcome());
        details.put("finding", r.finding());
        audit.record("review.spotcheck", id.user(), r.target(), r.sessionId(), null, r.outcome(), details);
        io.out(a.flag("--json") ? json(r) + "\n" : "Recording " + r.recording() + " reviewed: " + r.outcome() + ".\n");
        return 0;
    }

    private static ObjectNode json(ReviewQueue.Review r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recording", r.recording());
        n.put("sessionId", r.sessionId());
        n.put("user", r.user());
        n.put("target", r.target());
        n.put("sampled", r.sampled().toString());
        n.put("status", r.pending() ? "pending" : "reviewed");
        n.put("reviewer", r.reviewer());
        n.put("outcome", r.outcome());
        n.put("finding", r.finding());
        n.put("reviewed", r.reviewed() == null ? null : r.reviewed().toString());
        return n;
    }
}
