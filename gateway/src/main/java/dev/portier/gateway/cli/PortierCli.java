package dev.portier.gateway.cli;

import dev.portier.config.ConfigException;
import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code portier} command line. Picocli (a small, well-kept library) gives subcommands, inherited global
 * options, usage help and clean errors without hand-written parsing.
 */
@Command(name = "portier", mixinStandardHelpOptions = true, version = "portier 0.1.0",
        description = "Privileged access gateway: brokered, approved and recorded SSH sessions.",
        subcommands = {ServeCommand.class, DemoCommand.class, VaultCommand.class, RecordingsCommand.class,
                ExportCommand.class, ReplayCommand.class, AuditCommand.class, VerifyCommand.class,
                PseudonymCommand.class, KeysCommand.class})
public final class PortierCli {
    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "configuration file (default: ./portier.yaml when present)")
    Path config;

    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "data directory (overrides server.dataDir; default ./data)")
    Path data;

    /** Loads the configuration the options name, with {@code --data} applied. */
    PortierConfig loadConfig() throws CliException {
        Path file = config;
        if (file == null && Files.exists(Path.of("portier.yaml"))) {
            file = Path.of("portier.yaml");
        }
        PortierConfig cfg;
        try {
            cfg = file == null ? ConfigLoader.defaults() : ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new CliException("the configuration has errors:\n" + e.getMessage(), 2);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), 2);
        }
        return data == null ? cfg : cfg.withDataDir(data);
    }

    /** The data directory alone, for commands that need no configuration beyond it. */
    Path dataDir() throws CliException {
        return loadConfig().server().dataDir();
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new PortierCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException ce) {
                commandLine.getErr().println("portier: " + ce.getMessage());
                return ce.exitCode();
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** An expected failure: one clear line (or a list of config problems) and an exit status. */
    public static final class CliException extends Exception {
        private final int exitCode;

        public CliException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
