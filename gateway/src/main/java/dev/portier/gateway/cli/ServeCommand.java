package dev.portier.gateway.cli;

import dev.portier.config.PortierConfig;
import dev.portier.gateway.Gateway;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code portier serve}: runs the gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve", description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    PortierCli parent;

    @Override
    public Integer call() throws Exception {
        PortierConfig cfg = parent.loadConfig();
        if (cfg.identity().localUsers().isEmpty()) {
            System.err.println("portier: warning: no users are configured, so nobody can log in;"
                    + " see portier.example.yaml");
        }
        Gateway gw = Gateway.start(cfg);
        ConfigWatcher watcher = cfg.source() == null ? null
                : new ConfigWatcher(cfg.source(), gw, cfg.server().dataDir());
        System.out.println("Portier is listening for SSH on " + cfg.server().sshListen() + " and HTTPS on "
                + cfg.server().httpsListen() + " (data: " + cfg.server().dataDir() + "). Ctrl-C stops it.");
        runUntilStopped(() -> {
            if (watcher != null) {
                watcher.close();
            }
            gw.close();
        });
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then closes {@code resource} cleanly. */
    static void runUntilStopped(AutoCloseable resource) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("portier: shutdown: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "portier-shutdown"));
        stopped.await();
    }
}
