package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditException;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.evidence.RecordingSearch;
import dev.portier.gateway.evidence.SearchOutput;
import dev.portier.gateway.evidence.SearchIndexKey;
import dev.portier.gateway.evidence.SearchRequest;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.index.IndexInUseException;
import dev.portier.recorder.index.IndexKey;
import dev.portier.recorder.index.LuceneRecordingIndex;
import dev.portier.recorder.index.RecordingIndexer;
import dev.portier.recorder.index.SearchQuery;
import dev.portier.recorder.index.SearchResult;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier recordings search --grep TEXT [--user U] [--target T] [--label k=v]... [--since 7d] [--limit N]
 * [--json]}: searches every recording of the data directory, offline, like the other CLI commands. It first
 * indexes what the index lacks (progress on stderr; encrypted recordings are read, and the blind index is opened,
 * with keys from the vault), and writes the search to the audit log before it prints a line. While a gateway runs
 * on the same directory, it searches what the gateway has committed to the index (read-only, no catch-up), and the
 * audit event reaches the log through the gateway ({@link CliAudit}).
 */
@Command(name = "search", description = "Search typed commands and output of recordings; the search is audited.")
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    RecordingsCommand recordings;

    @Option(names = "--grep", required = true, paramLabel = "TEXT",
            description = "text to find in a line, ignoring case (at least 2 characters)")
    String grep;

    @Option(names = "--user", paramLabel = "U", description = "only recordings of this user")
    String user;

    @Option(names = "--target", paramLabel = "T", description = "only recordings on this target")
    String target;

    @Option(names = "--label", paramLabel = "k=v",
            description = "only targets with this label (repeatable: all of them)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DURATION", description = "only lines of the last DURATION, e.g. 7d, 12h")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "at most N lines (default 50, at most 1000)")
    String limit;

    @Option(names = "--json", description = "one JSON object per line found")
    boolean json;

    @Option(names = "--as", paramLabel = "AUDITOR",
            description = "who searches, recorded as the actor (default: the operating-system user)")
    String as;

    @Override
    public Integer call() throws Exception {
        SearchQuery query;
        try {
            query = new SearchRequest(grep, user, target, labels, since, limit).toQuery(Instant.now());
        } catch (IllegalArgumentException e) {
            throw new PortierCli.CliException(e.getMessage(), 2);
        }
        PortierConfig config = recordings.parent.loadConfig();
        Path data = config.server().dataDir();
        String osUser = System.getProperty("user.name");
        SearchResult result;
        int backlog;
        IndexKey key;
        try {
            key = SearchIndexKey.of(Vault.openExisting(data));
        } catch (VaultException e) {
            throw new PortierCli.CliException("cannot open the search index key (" + e.getMessage()
                    + "); nothing was searched", 1);
        }
        // The search is audited before any hit is shown: directly, or through the running gateway (CliAudit).
        Auditor audit = new Auditor(event -> {
            try {
                CliAudit.record(data, event, "nothing was searched");
            } catch (PortierCli.CliException e) {
                throw new AuditException(e.getMessage());
            }
        });
        try (RecordingStore store = RecordingsCommand.store(recordings.parent);
                RecordingIndexer indexer = openIndex(config, data, store, key)) {
            if (indexer.writable()) {
                indexer.catchUp(m -> System.err.println("portier: " + m));
            } else {
                System.err.println("portier: a running gateway keeps the index; searching what it has indexed so far");
            }
            result = new RecordingSearch(indexer, audit).search(as != null ? as : osUser, true, "cli",
                    query, Map.of("osUser", osUser));
            backlog = indexer.backlog();
        } catch (RecordingSearch.Refused e) {
            throw new PortierCli.CliException(e.getMessage(), 1);
        }
        System.out.print(SearchOutput.hits(result, json));
        System.out.flush();
        System.err.print(SearchOutput.notes(result, backlog));
        return 0;
    }

    private static RecordingIndexer openIndex(PortierConfig config, Path data, RecordingStore store, IndexKey key)
            throws IOException, PortierCli.CliException {
        try {
            return new RecordingIndexer(store, LuceneRecordingIndex.open(data.resolve(Gateway.INDEX_DIR), key),
                    Gateway.labelsOf(config));
        } catch (IndexInUseException e) {
            try {
                return new RecordingIndexer(store, LuceneRecordingIndex.openReadOnly(data.resolve(Gateway.INDEX_DIR),
                        key), Gateway.labelsOf(config));
            } catch (IOException notYet) {
                throw new PortierCli.CliException("the running gateway has no search index to read yet ("
                        + notYet.getMessage() + "); try again shortly, or over SSH: recordings --grep TEXT", 1);
            }
        }
    }
}
