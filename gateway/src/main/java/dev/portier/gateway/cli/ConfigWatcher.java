package dev.portier.gateway.cli;

import dev.portier.config.ConfigException;
import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when it changes and applies its users: people removed from it lose their
 * access at once (leavers). A file with errors changes nothing; other changes need a restart, and the log
 * says so.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Gateway gateway;
    private final java.nio.file.Path dataDir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portier-config-watch");
        t.setDaemon(true);
        return t;
    });
    private FileTime seen;

    ConfigWatcher(Path file, Gateway gateway, Path dataDir) throws IOException {
        this.file = file;
        this.gateway = gateway;
        this.dataDir = dataDir;
        this.seen = Files.getLastModifiedTime(file);
        timer.scheduleWithFixedDelay(this::check, 2, 2, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            FileTime now = Files.getLastModifiedTime(file);
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            PortierConfig next = ConfigLoader.load(file).withDataDir(dataDir);
            Set<String> gone = gateway.reloadIdentities(next);
            LOG.info("{} changed: users applied{}; other changes take effect at the next restart", file,
                    gone.isEmpty() ? "" : ", access withdrawn from " + String.join(", ", gone));
        } catch (ConfigException e) {
            LOG.error("{} changed but has errors, so nothing was applied:\n{}", file, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot reload {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
