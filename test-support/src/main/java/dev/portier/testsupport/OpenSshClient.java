package dev.portier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real OpenSSH clients ({@code ssh}, {@code scp}, {@code sftp}, {@code rsync}) against one server,
 * isolated from the user's {@code ~/.ssh}, agent and known hosts. Each {@code with*} returns a new client and
 * leaves this one as it was, so one configured client can be shared by a test class.
 *
 * <pre>{@code
 * OpenSshClient client = OpenSshClient.to(sshd, key);
 * Result hi = client.ssh("echo hi");
 * client.withInputFile(big).ssh("cat > /tmp/big");
 * client.scp(local.toString(), client.remote("/tmp/"));
 * }</pre>
 */
public final class OpenSshClient {

    /** The exit status and output of one client run; {@code stdout} is empty when it went to a file. */
    public record Result(int exit, String stdout, String stderr) {

        public boolean ok() {
            return exit == 0;
        }
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> ISOLATION = List.of(
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR",
            "-o", "ConnectTimeout=10");

    private String host;
    private int port;
    private String user;
    private Path key;
    private String password;
    private List<String> options = List.of();
    private List<String> extraArgs = List.of();
    private Duration timeout = DEFAULT_TIMEOUT;
    private byte[] input;
    private Path inputFile;
    private Path outputFile;

    private OpenSshClient() {
    }

    /** A client for {@code user@host:port} that authenticates with {@code key} ({@code null}: no key at all). */
    public static OpenSshClient to(String host, int port, String user, Path key) {
        OpenSshClient client = new OpenSshClient();
        client.host = host;
        client.port = port;
        client.user = user;
        client.key = key == null ? null : key.toAbsolutePath();
        return client;
    }

    /** A client for the test sshd, logging in as its {@link OpenSshServer#user()}. */
    public static OpenSshClient to(OpenSshServer server, Path key) {
        return to(server.host(), server.port(), server.user(), key);
    }

    public OpenSshClient withHost(String newHost) {
        OpenSshClient copy = copy();
        copy.host = newHost;
        return copy;
    }

    public OpenSshClient withPort(int newPort) {
        OpenSshClient copy = copy();
        copy.port = newPort;
        return copy;
    }

    /** The SSH user name, taken verbatim: {@code alice#lab} or {@code alice:admin@rtr-bru-01} both work. */
    public OpenSshClient withUser(String newUser) {
        OpenSshClient copy = copy();
        copy.user = newUser;
        return copy;
    }

    public OpenSshClient withKey(Path newKey) {
        OpenSshClient copy = copy();
        copy.key = newKey == null ? null : newKey.toAbsolutePath();
        return copy;
    }

    /**
     * Answers password and keyboard-interactive prompts with {@code password}, through an {@code SSH_ASKPASS}
     * script that lives only while the client runs (the password never appears in the process arguments).
     * Works for {@link #ssh}, {@link #scp}, {@link #sftp} and {@link #rsync}, not for {@link #sshCommandLine}.
     */
    public OpenSshClient withPassword(String newPassword) {
        OpenSshClient copy = copy();
        copy.password = newPassword;
        return copy;
    }

    /**
     * Adds {@code -o KEY=VALUE}. These come before the defaults, so they override them (OpenSSH keeps the first
     * value it sees), e.g. {@code withOption("BatchMode=no")}.
     */
    public OpenSshClient withOption(String keyEqualsValue) {
        OpenSshClient copy = copy();
        copy.options = append(options, "-o", keyEqualsValue);
        return copy;
    }

    /** Adds raw arguments placed just before the destination, e.g. {@code "-tt"} for ssh or {@code "-O"} for scp. */
    public OpenSshClient withArgs(String... args) {
        OpenSshClient copy = copy();
        copy.extraArgs = append(extraArgs, args);
        return copy;
    }

    public OpenSshClient withTimeout(Duration newTimeout) {
        OpenSshClient copy = copy();
        copy.timeout = newTimeout;
        return copy;
    }

    /** Feeds these bytes to the client's standard input (otherwise it reads an empty input). */
    public OpenSshClient withInput(byte[] bytes) {
        OpenSshClient copy = copy();
        copy.input = bytes.clone();
        copy.inputFile = null;
        return copy;
    }

    public OpenSshClient withInput(String text) {
        return withInput(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Streams this file to standard input without loading it into memory. */
    public OpenSshClient withInputFile(Path file) {
        OpenSshClient copy = copy();
        copy.input = null;
        copy.inputFile = file;
        return copy;
    }

    /** Streams standard output into this file instead of {@link Result#stdout()}. */
    public OpenSshClient withOutputFile(Path file) {
        OpenSshClient copy = copy();
        copy.outputFile = file;
        return copy;
    }

    /** {@code user@host}, as typed on a command line. */
    public String destination() {
        return user + "@" + host;
    }

    /** {@code user@host:path}, the remote operand of scp, sftp and rsync. */
    public String remote(String path) {
        return destination() + ":" + path;
    }

    /** Runs {@code ssh [options] user@host command...}. */
    public Result ssh(String... remoteCommand) {
        return run(sshCommandLine(remoteCommand));
    }

    /** The full ssh argument vector, e.g. {@code Pty.start(client.withArgs("-tt").sshCommandLine())}. */
    public List<String> sshCommandLine(String... remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null"));
        command.addAll(commonOptions());
        command.addAll(List.of("-p", Integer.toString(port)));
        command.addAll(extraArgs);
        command.add(destination());
        command.addAll(List.of(remoteCommand));
        return command;
    }

    /** Runs {@code scp [options] args...}; name remote files with {@link #remote(String)}. */
    public Result scp(String... args) {
        List<String> command = new ArrayList<>(List.of("scp", "-F", "/dev/null"));
        command.addAll(commonOptions());
        command.addAll(List.of("-P", Integer.toString(port)));
        command.addAll(extraArgs);
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code sftp -b batch user@host} with these batch commands, one per line. */
    public Result sftp(String batch) {
        Path file = null;
        try {
            file = Files.createTempFile("portier-sftp-", ".batch");
            Files.writeString(file, batch.endsWith("\n") ? batch : batch + "\n");
            return sftp(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sftp batch file", e);
        } finally {
            delete(file);
        }
    }

    /** Runs {@code sftp -b batchFile user@host}. */
    public Result sftp(Path batchFile) {
        List<String> command = new ArrayList<>(List.of("sftp", "-F", "/dev/null"));
        command.addAll(commonOptions());
        command.addAll(List.of("-P", Integer.toString(port), "-b", batchFile.toString()));
        command.addAll(extraArgs);
        command.add(destination());
        return run(command);
    }

    /** Runs {@code rsync -e "ssh ..." args...}; name remote paths with {@link #remote(String)}. */
    public Result rsync(String... args) {
        List<String> ssh = new ArrayList<>(List.of("ssh", "-F", "/dev/null"));
        ssh.addAll(commonOptions());
        ssh.addAll(List.of("-p", Integer.toString(port)));
        List<String> command = new ArrayList<>(List.of("rsync", "-e", String.join(" ", ssh)));
        command.addAll(extraArgs);
        command.addAll(List.of(args));
        return run(command);
    }

    private List<String> commonOptions() {
        List<String> common = new ArrayList<>(options);
        if (password != null) {
            common.addAll(List.of("-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"));
        }
        common.addAll(ISOLATION);
        if (key != null) {
            common.addAll(List.of("-i", key.toString()));
        } else {
            // Without -i, ssh would fall back to ~/.ssh/id_* even with IdentitiesOnly.
            common.addAll(List.of("-o", "PubkeyAuthentication=no"));
        }
        return common;
    }

    private Result run(List<String> command) {
        if (password == null) {
            return ProcessRunner.run(command, input, inputFile, outputFile, Map.of(), timeout);
        }
        Path askpass = null;
        try {
            askpass = Files.createTempFile("portier-askpass-", ".sh",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' '" + password.replace("'", "'\\''") + "'\n");
            return ProcessRunner.run(command, input, inputFile, outputFile,
                    Map.of("SSH_ASKPASS", askpass.toString(), "SSH_ASKPASS_REQUIRE", "force"), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the askpass script", e);
        } finally {
            delete(askpass);
        }
    }

    private OpenSshClient copy() {
        OpenSshClient copy = new OpenSshClient();
        copy.host = host;
        copy.port = port;
        copy.user = user;
        copy.key = key;
        copy.password = password;
        copy.options = options;
        copy.extraArgs = extraArgs;
        copy.timeout = timeout;
        copy.input = input;
        copy.inputFile = inputFile;
        copy.outputFile = outputFile;
        return copy;
    }

    private static List<String> append(List<String> list, String... more) {
        List<String> copy = new ArrayList<>(list);
        copy.addAll(List.of(more));
        return copy;
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
