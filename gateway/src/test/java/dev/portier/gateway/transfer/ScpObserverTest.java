package dev.portier.gateway.transfer;

import static dev.portier.gateway.transfer.SftpObserverTest.randomBytes;
import static dev.portier.gateway.transfer.SftpObserverTest.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.gateway.transfer.TransferEvent.Closed;
import dev.portier.gateway.transfer.TransferEvent.DirCreated;
import dev.portier.gateway.transfer.TransferEvent.Failed;
import dev.portier.gateway.transfer.TransferEvent.Opened;
import dev.portier.gateway.transfer.TransferEvent.SyncLost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScpObserverTest {
    private static final byte[] ACK = {0};
    private static final int UPLOAD = OpenMode.WRITE | OpenMode.CREATE | OpenMode.TRUNCATE;

    private final List<TransferEvent> events = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"scp -t /tmp", "scp -v -r -p -d -t -- /srv/dir", "/usr/bin/scp -f '/my file'",
        "scp -f \"/var/log/a b.log\"", "scp -prt .", "scp -f /var/log/*.log", "scp -t /tmp/file#1",
        "scp -t my\\ file"})
    void recognizesScpCommands(String command) {
        assertTrue(ScpObserver.forCommand(command, events::add).isPresent(), command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls -l", "scp -t", "scp -t a b", "scp -t /tmp; rm -rf /", "scp -x -t /tmp",
        "scp -t -f /tmp", "scp a b", "scp -t $(id)", "scp -t `id`", "scp -t \"$HOME\"", "scp -f /x | nc h 1",
        "scp -t '/tmp", "scp -t /tmp > /dev/null", "scpx -t /tmp", "# scp -t /tmp", ""})
    void rejectsOtherCommands(String command) {
        assertTrue(ScpObserver.forCommand(command, events::add).isEmpty(), command);
    }

    @Test
    void parsesQuotedPathsAndDirection() {
        ScpObserver up = ScpObserver.forCommand("scp -r -d -t -- '-odd dir'", events::add).orElseThrow();
        assertTrue(up.upload());
        assertEquals("-odd dir", up.path());
        ScpObserver down = ScpObserver.forCommand("scp -f \"/srv/a \\\"b\\\"\"", events::add).orElseThrow();
        assertFalse(down.upload());
        assertEquals("/srv/a \"b\"", down.path());
    }

    @Test
    void recursiveUploadReportsFilesAndDirectoriesWithDigests() {
        byte[] a = randomBytes(70_000, 1);
        byte[] b = randomBytes(5, 2);
        Conversation c = upload(a, b);
        List<TransferEvent> expected = List.of(
                new Opened(TransferProtocol.SCP, "a.txt", "/srv/a.txt", new OpenMode(UPLOAD), a.length, 0644),
                closed("a.txt", "/srv/a.txt", a, true),
                new DirCreated(TransferProtocol.SCP, "/srv/conf"),
                new Opened(TransferProtocol.SCP, "conf/b.bin", "/srv/conf/b.bin", new OpenMode(UPLOAD), b.length, 0600),
                closed("conf/b.bin", "/srv/conf/b.bin", b, true),
                new Opened(TransferProtocol.SCP, "conf/empty", "/srv/conf/empty", new OpenMode(UPLOAD), 0, 0644),
                closed("conf/empty", "/srv/conf/empty", new byte[0], true));

        assertEquals(expected, replay("scp -r -d -t /srv", c, Conversation.WHOLE));
        assertEquals(expected, replay("scp -r -d -t /srv", c, Conversation.BYTES));
        for (long seed = 0; seed < 100; seed++) {
            assertEquals(expected, replay("scp -r -d -t /srv", c, Conversation.random(seed)), "seed " + seed);
        }
        for (int cut = 1; cut < 200; cut++) {
            assertEquals(expected, replay("scp -r -d -t /srv", c, Conversation.cutAt(cut)), "cut " + cut);
        }
    }

    @Test
    void uploadKindsAndFields() {
        byte[] a = randomBytes(10, 3);
        List<TransferEvent> seen = replay("scp -r -d -t /srv", upload(a, a), Conversation.WHOLE);
        assertEquals(List.of("scp.open", "scp.upload", "scp.mkdir", "scp.open", "scp.upload", "scp.open",
                "scp.upload"), seen.stream().map(TransferEvent::kind).toList());
        assertEquals("a.txt", seen.get(1).fields().get("name"));
        assertEquals(sha256(a), seen.get(1).fields().get("sha256"));
        assertEquals(10L, seen.get(1).fields().get("bytesWritten"));
        assertEquals("0644", seen.get(0).fields().get("permissions"));
    }

    @Test
    void largeUploadDigestIsRight() {
        byte[] big = randomBytes(6 * 1024 * 1024 + 17, 4);
        Conversation c = new Conversation().server(ACK).client("C0644 " + big.length + " big.iso\n").server(ACK)
                .client(big).client(ACK).server(ACK);
        List<TransferEvent> seen = replay("scp -t /data/", c, Conversation.random(9));
        Closed closed = assertInstanceOf(Closed.class, seen.get(1));
        assertEquals(sha256(big), closed.digest().sha256());
        assertEquals("/data/big.iso", closed.path());
        assertEquals(big.length, closed.bytesWritten());
    }

    @Test
    void uploadToAPathThatMayNotBeADirectoryUsesThePathAsTheFileName() {
        byte[] a = randomBytes(3, 5);
        Conversation c = new Conversation().server(ACK).client("T1700000000 0 1700000000 0\n").server(ACK)
                .client("C0755 3 local-name.sh\n").server(ACK).client(a).client(ACK).server(ACK);
        List<TransferEvent> seen = replay("scp -p -t /usr/local/bin/tool", c, Conversation.BYTES);
        Opened opened = assertInstanceOf(Opened.class, seen.get(0));
        assertEquals("/usr/local/bin/tool", opened.path());
        assertEquals("local-name.sh", opened.handleOrName());
        assertEquals(0755, opened.permissions());
    }

    @Test
    void recursiveUploadToANewDirectoryNameMapsTheTopDirectoryOntoThePath() {
        byte[] b = randomBytes(5, 13);
        Conversation c = new Conversation().server(ACK).client("D0755 0 conf\n").server(ACK)
                .client("C0600 5 b.bin\n").server(ACK).client(b).client(ACK).server(ACK).client("E\n").server(ACK);
        List<TransferEvent> seen = replay("scp -r -t /srv/conf.new", c, Conversation.WHOLE);
        assertEquals(new DirCreated(TransferProtocol.SCP, "/srv/conf.new"), seen.get(0));
        assertEquals("/srv/conf.new/b.bin", assertInstanceOf(Opened.class, seen.get(1)).path());
        assertEquals("conf/b.bin", assertInstanceOf(Opened.class, seen.get(1)).handleOrName());
    }

    @Test
    void downloadReportsTheFileWithItsDigest() {
        byte[] log = randomBytes(123_456, 6);
        Conversation c = new Conversation().client(ACK).server("C0640 " + log.length + " app.log\n").client(ACK)
                .server(log).server(ACK).client(ACK);
        List<TransferEvent> seen = replay("scp -f /var/log/app.log", c, Conversation.random(1));
        assertEquals(2, seen.size(), seen::toString);
        Opened opened = assertInstanceOf(Opened.class, seen.get(0));
        assertEquals("/var/log/app.log", opened.path());
        assertEquals("read", opened.mode().toString());
        Closed closed = assertInstanceOf(Closed.class, seen.get(1));
        assertEquals("scp.download", closed.kind());
        assertEquals(log.length, closed.bytesRead());
        assertEquals(0, closed.bytesWritten());
        assertEquals(sha256(log), closed.digest().sha256());
        assertTrue(closed.complete());
    }

    @Test
    void recursiveDownloadResolvesPathsAgainstTheParentOfTheSource() {
        byte[] x = randomBytes(40, 7);
        Conversation c = new Conversation().client(ACK).server("D0755 0 nginx\n").client(ACK)
                .server("D0755 0 sites\n").client(ACK).server("C0644 40 default\n").client(ACK)
                .server(x).server(ACK).client(ACK).server("E\n").client(ACK).server("E\n").client(ACK);
        List<TransferEvent> seen = replay("scp -r -f /etc/nginx/", c, Conversation.random(2));
        assertEquals(new DirCreated(TransferProtocol.SCP, "/etc/nginx"), seen.get(0));
        assertEquals(new DirCreated(TransferProtocol.SCP, "/etc/nginx/sites"), seen.get(1));
        assertEquals("/etc/nginx/sites/default", assertInstanceOf(Opened.class, seen.get(2)).path());
        assertEquals("nginx/sites/default", assertInstanceOf(Closed.class, seen.get(3)).handleOrName());
    }

    @Test
    void refusedFileHeaderIsFailedAndItsDataNeverExpected() {
        byte[] b = randomBytes(8, 8);
        Conversation c = new Conversation().server(ACK).client("C0644 100 secret\n")
                .server("\u0001scp: /etc/secret: Permission denied\n")
                .client("C0644 8 ok\n").server(ACK).client(b).client(ACK).server(ACK);
        List<TransferEvent> seen = replay("scp -d -t /etc", c, Conversation.BYTES);
        assertEquals(new Failed(TransferProtocol.SCP, "open", "/etc/secret", 1, "scp: /etc/secret: Permission denied"),
                seen.get(0));
        assertEquals("scp.failed", seen.get(0).kind());
        assertEquals(sha256(b), assertInstanceOf(Closed.class, seen.get(2)).digest().sha256());
    }

    @Test
    void refusedDirectoryIsFailedAndNotEntered() {
        Conversation c = new Conversation().server(ACK).client("D0755 0 locked\n")
                .server("\u0001scp: /srv/locked: Permission denied\n").client("C0644 0 top\n").server(ACK)
                .client(ACK).server(ACK);
        List<TransferEvent> seen = replay("scp -r -d -t /srv", c, Conversation.WHOLE);
        assertEquals("mkdir", assertInstanceOf(Failed.class, seen.get(0)).op());
        assertEquals("/srv/top", assertInstanceOf(Opened.class, seen.get(1)).path());
    }

    @Test
    void missingSourceFileIsReportedFromTheSourceErrorLine() {
        Conversation c = new Conversation().client(ACK)
                .server("\u0001scp: /nope: No such file or directory\n");
        List<TransferEvent> seen = replay("scp -f /nope", c, Conversation.BYTES);
        assertEquals(List.of(new Failed(TransferProtocol.SCP, "source", "/nope", 1,
                "scp: /nope: No such file or directory")), seen);
    }

    @Test
    void sinkWriteErrorAfterDataClosesIncomplete() {
        byte[] b = randomBytes(20, 9);
        Conversation c = new Conversation().server(ACK).client("C0644 20 f\n").server(ACK).client(b).client(ACK)
                .server("\u0001scp: /tmp/f: No space left on device\n");
        List<TransferEvent> seen = replay("scp -t /tmp/", c, Conversation.WHOLE);
        assertEquals("close", assertInstanceOf(Failed.class, seen.get(1)).op());
        Closed closed = assertInstanceOf(Closed.class, seen.get(2));
        assertFalse(closed.complete());
        assertEquals(sha256(b), closed.digest().sha256());
    }

    @Test
    void sourceReadErrorAfterDataIsReported() {
        byte[] b = randomBytes(20, 10);
        Conversation c = new Conversation().client(ACK).server("C0644 20 f\n").client(ACK).server(b)
                .server("\u0001scp: /srv/f: Input/output error\n").client(ACK);
        List<TransferEvent> seen = replay("scp -f /srv/f", c, Conversation.WHOLE);
        assertEquals("source", assertInstanceOf(Failed.class, seen.get(1)).op());
        assertFalse(assertInstanceOf(Closed.class, seen.get(2)).complete());
    }

    @Test
    void extraRepliesFromTheSinkAreConsumedByLaterRecordsLikeOpenSshDoes() {
        byte[] b = randomBytes(4, 11);
        // OpenSSH's sink reports a failed chmod and then still acknowledges: one reply more than asked for.
        Conversation c = new Conversation().server(ACK).client("C0644 4 a\n").server(ACK).client(b).client(ACK)
                .server("\u0001scp: /tmp/a: set mode: Operation not permitted\n").server(ACK)
                .client("C0644 4 b\n").client(b).client(ACK).server(ACK).server(ACK);
        List<TransferEvent> seen = replay("scp -t /tmp/", c, Conversation.WHOLE);
        assertEquals(List.of("scp.open", "scp.failed", "scp.upload", "scp.open", "scp.upload"),
                seen.stream().map(TransferEvent::kind).toList());
    }

    @Test
    void sourceRunningAheadOfTheSinkLosesSync() {
        ScpObserver observer = ScpObserver.forCommand("scp -t /tmp", events::add).orElseThrow();
        byte[] ack = ACK;
        observer.fromServer(ack, 0, 1);
        byte[] ahead = "C0644 3 f\nabc\0".getBytes(StandardCharsets.ISO_8859_1);
        observer.fromClient(ahead, 0, ahead.length);
        assertFalse(observer.inSync());
        assertTrue(assertInstanceOf(SyncLost.class, events.get(0)).reason().contains("before its FILE"));
    }

    @Test
    void unexpectedFirstLineLosesSyncWithItsText() {
        ScpObserver observer = ScpObserver.forCommand("scp -f '*.txt'", events::add).orElseThrow();
        observer.fromClient(ACK, 0, 1);
        byte[] shell = "No match.\n".getBytes(StandardCharsets.US_ASCII);
        observer.fromServer(shell, 0, shell.length);
        assertFalse(observer.inSync());
        SyncLost lost = assertInstanceOf(SyncLost.class, events.get(0));
        assertTrue(lost.reason().contains("No match."), lost.reason());
        assertEquals("scp.sync-lost", lost.kind());
    }

    @Test
    void channelEndingMidFileReportsItIncomplete() {
        byte[] part = randomBytes(50, 12);
        ScpObserver observer = ScpObserver.forCommand("scp -t /tmp/", events::add).orElseThrow();
        new Conversation().server(ACK).client("C0644 100 f\n").server(ACK).client(part)
                .replay(observer, Conversation.WHOLE);
        observer.end();
        Closed closed = assertInstanceOf(Closed.class, events.get(1));
        assertFalse(closed.complete());
        assertEquals(50, closed.bytesWritten());
        assertEquals(sha256(part), closed.digest().sha256());
    }

    @Test
    void malformedHeadersLoseSyncWithoutThrowing() {
        for (String header : List.of("C064 1 f\n", "C0648 1 f\n", "C0644 x f\n", "C0644 1\n", "C0644 99999999999999999999 f\n",
                "X\n", "\n", "C0644 1 f")) {
            List<TransferEvent> seen = new ArrayList<>();
            ScpObserver observer = ScpObserver.forCommand("scp -t /tmp", seen::add).orElseThrow();
            observer.fromServer(ACK, 0, 1);
            byte[] b = header.getBytes(StandardCharsets.US_ASCII);
            observer.fromClient(b, 0, b.length);
            if (header.endsWith("\n")) {
                assertFalse(observer.inSync(), header);
                assertInstanceOf(SyncLost.class, seen.get(0));
            } else {
                assertTrue(observer.inSync(), "incomplete line waits: " + header);
            }
        }
    }

    @Test
    void mutatedTransfersNeverBreakTheObserver() {
        byte[] a = randomBytes(300, 14);
        Conversation transfer = upload(a, a);
        for (long seed = 0; seed < 3000; seed++) {
            List<TransferEvent> seen = new ArrayList<>();
            ScpObserver observer = ScpObserver.forCommand("scp -r -t /srv", seen::add).orElseThrow();
            transfer.mutated(seed, 1 + (int) (seed % 3)).replay(observer, Conversation.random(seed));
            observer.end();
            assertTrue(seen.stream().filter(SyncLost.class::isInstance).count() <= 1);
            for (TransferEvent e : seen) {
                if (e instanceof SyncLost lost) {
                    assertFalse(lost.reason().startsWith("observer error"), lost.reason());
                }
            }
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(99);
        for (int round = 0; round < 300; round++) {
            List<TransferEvent> seen = new ArrayList<>();
            ScpObserver observer = ScpObserver.forCommand(random.nextBoolean() ? "scp -t /x" : "scp -f /x", seen::add)
                    .orElseThrow();
            for (int i = 0; i < 30; i++) {
                byte[] junk = randomBytes(random.nextInt(100), random.nextLong());
                if (random.nextInt(4) == 0) {
                    junk = "C0644 5 f\n".getBytes(StandardCharsets.US_ASCII);
                } else if (random.nextInt(4) == 0) {
                    junk = ACK;
                }
                if (random.nextBoolean()) {
                    observer.fromClient(junk, 0, junk.length);
                } else {
                    observer.fromServer(junk, 0, junk.length);
                }
            }
            observer.end();
            assertTrue(seen.stream().filter(SyncLost.class::isInstance).count() <= 1);
            assertTrue(seen.stream().noneMatch(e -> e instanceof SyncLost l && l.reason().startsWith("observer error")));
        }
    }

    /** Upload with {@code -r}: a.txt, then conf/ holding b.bin and an empty file. */
    private static Conversation upload(byte[] a, byte[] b) {
        return new Conversation().server(ACK)
                .client("C0644 " + a.length + " a.txt\n").server(ACK).client(a).client(ACK).server(ACK)
                .client("D0755 0 conf\n").server(ACK)
                .client("C0600 " + b.length + " b.bin\n").server(ACK).client(b).client(ACK).server(ACK)
                .client("C0644 0 empty\n").server(ACK).client(ACK).server(ACK)
                .client("E\n").server(ACK);
    }

    private static Closed closed(String name, String path, byte[] content, boolean complete) {
        return new Closed(TransferProtocol.SCP, name, path, new OpenMode(UPLOAD), 0, content.length,
                ContentDigest.of(sha256(content), 0), complete);
    }

    private List<TransferEvent> replay(String command, Conversation conversation, Conversation.Chunker chunker) {
        List<TransferEvent> seen = new ArrayList<>();
        ScpObserver observer = ScpObserver.forCommand(command, seen::add).orElseThrow();
        conversation.replay(observer, chunker);
        assertTrue(observer.inSync(), () -> "lost sync: " + seen);
        return seen;
    }
}
