package dev.portier.gateway.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.identity.Identity;
import dev.portier.config.Durations;
import dev.portier.gateway.api.IssuedToken;
import dev.portier.gateway.api.TokenException;
import dev.portier.gateway.api.TokenService;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code token [--ttl 15m] [--json]}: a bearer token for the REST API, printed on stdout alone so that
 * {@code TOKEN=$(ssh -p 2222 alice@portier token)} works. The token is a secret: it goes to the user's
 * channel only, never to a log line; the audit log names it by its id.
 */
final class TokenCommand {
    static final String NAME = "token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenService tokens;

    TokenCommand(TokenService tokens) {
        this.tokens = tokens;
    }

    int run(Identity id, List<String> args, CommandIO io) {
        CommandArgs a = CommandArgs.parse(args, Set.of("--json"), Set.of("--ttl"));
        if (!a.positional.isEmpty()) {
            io.err("portier: usage: token [--ttl 15m] [--json]\n");
            return 2;
        }
        Duration ttl = TokenService.DEFAULT_TTL;
        if (a.value("--ttl") != null) {
            try {
                ttl = Durations.parse(a.value("--ttl"));
            } catch (IllegalArgumentException e) {
                io.err("portier: --ttl: " + e.getMessage() + "\n");
                return 2;
            }
        }
        if (ttl.compareTo(TokenService.MIN_TTL) < 0 || ttl.compareTo(TokenService.MAX_TTL) > 0) {
            io.err("portier: --ttl must be between " + Durations.format(TokenService.MIN_TTL) + " and "
                    + Durations.format(TokenService.MAX_TTL) + ", e.g. --ttl 15m\n");
            return 2;
        }
        IssuedToken t;
        try {
            t = tokens.issue(id, ttl);
        } catch (TokenException e) {
            io.err("portier: " + e.getMessage() + "\n");
            return 1;
        }
        if (a.flag("--json")) {
            ObjectNode n = JSON.createObjectNode();
            n.put("token", t.token());
            n.put("tokenId", t.jti());
            n.put("expires", t.expires().toString());
            io.out(n + "\n");
        } else {
            io.out(t.token() + "\n");
        }
        return 0;
    }
}
