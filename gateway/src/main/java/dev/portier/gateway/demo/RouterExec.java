package dev.portier.gateway.demo;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;

/** One command run without a shell ({@code ssh router "show version"}): exit 0, or 1 with the error on stderr. */
final class RouterExec extends DeviceCommand {

    private final String command;
    private final String hostname;
    private final Instant bootTime;
    private final Clock clock;

    RouterExec(ExecutorService workers, String command, String hostname, Instant bootTime, Clock clock) {
        super(workers);
        this.command = command;
        this.hostname = hostname;
        this.bootTime = bootTime;
        this.clock = clock;
    }

    @Override
    protected int run(Environment env) throws IOException {
        RouterCli.Reply reply = new RouterCli(hostname, bootTime, clock, false).execute(command);
        (reply.failed() ? err : out).write(utf8(reply.output()));
        return reply.failed() ? 1 : 0;
    }
}
