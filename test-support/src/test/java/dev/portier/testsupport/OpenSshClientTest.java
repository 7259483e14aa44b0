package dev.portier.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSshClientTest {

    @TempDir
    static Path tmp;

    private static OpenSshServer sshd;
    private static OpenSshClient client;

    @BeforeAll
    static void startServer() {
        Path key = Keys.ed25519(tmp, "tester");
        sshd = OpenSshServer.start(Keys.publicKeyLine(key));
        client = OpenSshClient.to(sshd, key);
    }

    @AfterAll
    static void stopServer() {
        sshd.close();
    }

    @Test
    void stdinBytesReachRemoteCommand() {
        OpenSshClient.Result result = client.withInput("one\ntwo\n").ssh("wc -l");

        assertEquals("2", result.stdout().strip(), result.stderr());
    }

    @Test
    void largeFileStreamsBothWaysThroughDisk() throws IOException {
        Path source = randomFile(tmp.resolve("source.bin"), 32 << 20);
        Path remote = tmp.resolve("remote.bin");
        Path back = tmp.resolve("back.bin");

        assertEquals(0, client.withInputFile(source).ssh("cat > " + remote).exit());
        OpenSshClient.Result download = client.withOutputFile(back).ssh("cat " + remote);

        assertEquals(0, download.exit(), download.stderr());
        assertEquals("", download.stdout());
        assertEquals(-1L, Files.mismatch(source, back));
    }

    @Test
    void scpCopiesFileToServer() throws IOException {
        Path source = randomFile(tmp.resolve("scp.bin"), 100_000);
        Path target = tmp.resolve("scp-copy.bin");

        OpenSshClient.Result result = client.scp(source.toString(), client.remote(target.toString()));

        assertEquals(0, result.exit(), result.stderr());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
    }

    @Test
    void sftpBatchUploadsAndLists() throws IOException {
        Path source = randomFile(tmp.resolve("sftp.bin"), 50_000);
        Path dir = Files.createDirectories(tmp.resolve("sftp-dir"));

        OpenSshClient.Result result = client.sftp("put " + source + " " + dir + "/up.bin\nls " + dir);

        assertEquals(0, result.exit(), result.stderr());
        assertEquals(-1L, Files.mismatch(source, dir.resolve("up.bin")));
    }

    @Test
    void rsyncSynchronisesDirectory() throws IOException {
        Path from = Files.createDirectories(tmp.resolve("rsync-from"));
        randomFile(from.resolve("a.bin"), 10_000);
        Files.writeString(from.resolve("b.txt"), "bee\n");
        Path to = tmp.resolve("rsync-to");

        OpenSshClient.Result result = client.rsync("-a", from + "/", client.remote(to + "/"));

        assertEquals(0, result.exit(), result.stderr());
        assertEquals(-1L, Files.mismatch(from.resolve("a.bin"), to.resolve("a.bin")));
        assertEquals("bee\n", Files.readString(to.resolve("b.txt")));
    }

    private static Path randomFile(Path file, int size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, size - written));
            }
        }
        return file;
    }
}
