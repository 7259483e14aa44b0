package dev.portier.gateway.transfer;

import static dev.portier.gateway.transfer.SftpWire.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.gateway.transfer.TransferEvent.AttributesSet;
import dev.portier.gateway.transfer.TransferEvent.Closed;
import dev.portier.gateway.transfer.TransferEvent.DirCreated;
import dev.portier.gateway.transfer.TransferEvent.DirRemoved;
import dev.portier.gateway.transfer.TransferEvent.Failed;
import dev.portier.gateway.transfer.TransferEvent.LinkCreated;
import dev.portier.gateway.transfer.TransferEvent.Opened;
import dev.portier.gateway.transfer.TransferEvent.Removed;
import dev.portier.gateway.transfer.TransferEvent.Renamed;
import dev.portier.gateway.transfer.TransferEvent.SyncLost;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SftpObserverTest {
    private static final byte[] H1 = {0, 0, 0, 1};
    private static final byte[] H2 = {0, 0, 0, 2};
    private static final int CHUNK = 32 * 1024;
    private static final int UPLOAD = OpenMode.WRITE | OpenMode.CREATE | OpenMode.TRUNCATE;

    private final List<TransferEvent> events = new ArrayList<>();

    @Test
    void sequentialUploadReportsOpenAndCloseWithSha256() {
        byte[] content = randomBytes(5 * 1024 * 1024 + 123, 1);
        List<TransferEvent> seen = replay(upload("/srv/app.tar", content), Conversation.random(7));

        assertEquals(2, seen.size(), seen::toString);
        Opened opened = assertInstanceOf(Opened.class, seen.get(0));
        assertEquals("/srv/app.tar", opened.path());
        assertEquals("00000001", opened.handleOrName());
        assertEquals("write,create,trunc", opened.mode().toString());
        assertEquals(0644, opened.permissions());
        Closed closed = assertInstanceOf(Closed.class, seen.get(1));
        assertEquals(content.length, closed.bytesWritten());
        assertEquals(0, closed.bytesRead());
        assertEquals(sha256(content), closed.digest().sha256());
        assertTrue(closed.complete());
    }

    @Test
    void uploadFedOneByteAtATimeGivesTheSameEvents() {
        byte[] content = randomBytes(300 * 1024 + 5, 2);
        Conversation conversation = upload("/tmp/x", content);
        List<TransferEvent> whole = replay(conversation, Conversation.WHOLE);
        assertEquals(whole, replay(conversation, Conversation.BYTES));
        assertEquals(sha256(content), assertInstanceOf(Closed.class, whole.get(1)).digest().sha256());
    }

    @Test
    void eventsDoNotDependOnWhereChunksAreCut() {
        Conversation conversation = mixedSession();
        List<TransferEvent> expected = replay(conversation, Conversation.WHOLE);
        assertEquals(12, expected.size(), expected::toString);
        for (int cut = 1; cut <= conversation.longestRun(); cut++) {
            assertEquals(expected, replay(conversation, Conversation.cutAt(cut)), "cut at " + cut);
        }
        for (int size = 1; size <= 64; size++) {
            int chunk = size;
            assertEquals(expected, replay(conversation, (run, position, remaining) -> chunk), "chunks of " + size);
        }
        for (long seed = 0; seed < 200; seed++) {
            assertEquals(expected, replay(conversation, Conversation.random(seed)), "seed " + seed);
        }
    }

    @Test
    void mixedSessionReportsEachConfirmedOperation() {
        List<TransferEvent> seen = replay(mixedSession(), Conversation.WHOLE);
        List<String> kinds = seen.stream().map(TransferEvent::kind).toList();
        assertEquals(List.of("sftp.open", "sftp.close", "sftp.mkdir", "sftp.rename", "sftp.rename", "sftp.remove",
                "sftp.rmdir", "sftp.setstat", "sftp.symlink", "sftp.link", "sftp.failed", "sftp.setstat"), kinds);
        assertEquals(new DirCreated(TransferProtocol.SFTP, "/d"), seen.get(2));
        assertEquals(new Renamed(TransferProtocol.SFTP, "/a", "/b", false), seen.get(3));
        assertEquals(new Renamed(TransferProtocol.SFTP, "/b", "/c", true), seen.get(4));
        assertEquals(new Removed(TransferProtocol.SFTP, "/c"), seen.get(5));
        assertEquals(new DirRemoved(TransferProtocol.SFTP, "/d"), seen.get(6));
        AttributesSet chmod = assertInstanceOf(AttributesSet.class, seen.get(7));
        assertEquals("/etc/sudoers", chmod.path());
        assertEquals(Map.of("path", "/etc/sudoers", "permissions", "4755"), chmod.fields());
        assertEquals(new LinkCreated(TransferProtocol.SFTP, "/tmp/link", "/etc/shadow", false), seen.get(8));
        assertEquals(new LinkCreated(TransferProtocol.SFTP, "/tmp/hard", "/etc/passwd", true), seen.get(9));
        assertEquals(new Failed(TransferProtocol.SFTP, "remove", "/etc/passwd", FX_PERMISSION_DENIED,
                "Permission denied"), seen.get(10));
        assertEquals("/srv/log", assertInstanceOf(AttributesSet.class, seen.get(11)).path());
    }

    @Test
    void downloadDigestFollowsPipelinedDataReplies() {
        byte[] content = randomBytes(4 * CHUNK + 1000, 3);
        Conversation c = new Conversation().client(init()).server(version(3))
                .client(open(1, "/etc/hosts", OpenMode.READ)).server(handle(1, H1));
        int id = 2;
        List<Integer> ids = new ArrayList<>();
        for (long offset = 0; offset < content.length + CHUNK; offset += CHUNK) {
            c.client(read(id, H1, offset, CHUNK));
            ids.add(id++);
        }
        for (int i = 0; i < ids.size(); i++) {
            int from = i * CHUNK;
            if (from < content.length) {
                c.server(data(ids.get(i), content, from, Math.min(CHUNK, content.length - from)));
            } else {
                c.server(status(ids.get(i), FX_EOF, "End of file"));
            }
        }
        c.client(close(id, H1)).server(ok(id));

        List<TransferEvent> seen = replay(c, Conversation.random(11));
        Closed closed = assertInstanceOf(Closed.class, seen.get(1));
        assertEquals(content.length, closed.bytesRead());
        assertEquals(sha256(content), closed.digest().sha256());
        assertEquals("sftp.close", closed.kind());
        assertEquals(2, seen.size());
    }

    @Test
    void nonSequentialWritesMarkTheDigestUnavailable() {
        byte[] content = randomBytes(2 * CHUNK, 4);
        Conversation c = opened("/tmp/f", UPLOAD)
                .client(write(2, H1, CHUNK, content, CHUNK, CHUNK), write(3, H1, 0, content, 0, CHUNK))
                .server(ok(2), ok(3)).client(close(4, H1)).server(ok(4));

        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertFalse(closed.digest().available());
        assertEquals(ContentDigest.NON_SEQUENTIAL, closed.digest().unavailableReason());
        assertEquals(2L * CHUNK, closed.bytesWritten());
        assertEquals("non-sequential", closed.fields().get("sha256Unavailable"));
        assertFalse(closed.fields().containsKey("sha256"));
    }

    @Test
    void dataRepliesOutOfOffsetOrderMarkTheDigestUnavailable() {
        byte[] content = randomBytes(2 * CHUNK, 5);
        Conversation c = opened("/tmp/f", OpenMode.READ)
                .client(read(2, H1, 0, CHUNK), read(3, H1, CHUNK, CHUNK))
                .server(data(3, content, CHUNK, CHUNK), data(2, content, 0, CHUNK))
                .client(close(4, H1)).server(ok(4));

        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertEquals(ContentDigest.NON_SEQUENTIAL, closed.digest().unavailableReason());
        assertEquals(2L * CHUNK, closed.bytesRead());
    }

    @Test
    void shortReadFollowedByPipelinedReplyMarksTheDigestUnavailable() {
        byte[] content = randomBytes(2 * CHUNK, 6);
        Conversation c = opened("/tmp/f", OpenMode.READ)
                .client(read(2, H1, 0, CHUNK), read(3, H1, CHUNK, CHUNK))
                .server(data(2, content, 0, 100), data(3, content, CHUNK, CHUNK))
                .client(close(4, H1)).server(ok(4));

        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertEquals(ContentDigest.NON_SEQUENTIAL, closed.digest().unavailableReason());
    }

    @Test
    void resumedUploadDigestCoversTheBytesFromItsFirstOffset() {
        byte[] content = randomBytes(3 * CHUNK, 8);
        long start = 1_000_000;
        Conversation c = opened("/tmp/big", OpenMode.WRITE)
                .client(write(2, H1, start, content, 0, CHUNK), write(3, H1, start + CHUNK, content, CHUNK, 2 * CHUNK))
                .server(ok(2), ok(3)).client(close(4, H1)).server(ok(4));

        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertEquals(sha256(content), closed.digest().sha256());
        assertEquals(start, closed.digest().offset());
        assertEquals(start, closed.fields().get("sha256Offset"));
    }

    @Test
    void handleThatReadsAndWritesHasNoDigest() {
        byte[] content = randomBytes(100, 9);
        Conversation c = opened("/tmp/rw", OpenMode.READ | OpenMode.WRITE)
                .client(write(2, H1, 0, content, 0, 100)).server(ok(2))
                .client(read(3, H1, 0, 100)).server(data(3, content, 0, 100))
                .client(close(4, H1)).server(ok(4));

        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertEquals(ContentDigest.READ_AND_WRITE, closed.digest().unavailableReason());
        assertEquals(100, closed.bytesRead());
        assertEquals(100, closed.bytesWritten());
    }

    @Test
    void emptyFileHasTheDigestOfNoBytes() {
        Conversation c = opened("/tmp/empty", UPLOAD).client(close(2, H1)).server(ok(2));
        Closed closed = assertInstanceOf(Closed.class, replay(c, Conversation.WHOLE).get(1));
        assertEquals(sha256(new byte[0]), closed.digest().sha256());
    }

    @Test
    void refusedOpenIsReportedAsFailedWithoutOpened() {
        Conversation c = new Conversation().client(open(1, "/root/.ssh/authorized_keys", UPLOAD))
                .server(status(1, FX_PERMISSION_DENIED, "Permission denied"));
        List<TransferEvent> seen = replay(c, Conversation.BYTES);
        assertEquals(List.of(new Failed(TransferProtocol.SFTP, "open", "/root/.ssh/authorized_keys",
                FX_PERMISSION_DENIED, "Permission denied")), seen);
        assertEquals("permission denied", seen.get(0).fields().get("error"));
        assertEquals("sftp.failed", seen.get(0).kind());
    }

    @Test
    void failedWritesAreReportedOncePerHandle() {
        byte[] content = randomBytes(300, 10);
        Conversation c = opened("/full/disk", UPLOAD)
                .client(write(2, H1, 0, content, 0, 100), write(3, H1, 100, content, 100, 200))
                .server(status(2, FX_FAILURE, "No space left on device"), status(3, FX_FAILURE, "No space"))
                .client(close(4, H1)).server(ok(4));

        List<TransferEvent> seen = replay(c, Conversation.WHOLE);
        assertEquals(3, seen.size(), seen::toString);
        assertEquals(new Failed(TransferProtocol.SFTP, "write", "/full/disk", FX_FAILURE, "No space left on device"),
                seen.get(1));
        assertEquals(300, assertInstanceOf(Closed.class, seen.get(2)).bytesWritten());
    }

    @Test
    void readErrorsOtherThanEndOfFileAreReported() {
        Conversation c = opened("/srv/disk.img", OpenMode.READ)
                .client(read(2, H1, 0, CHUNK)).server(status(2, FX_FAILURE, "Input/output error"))
                .client(read(3, H1, 0, CHUNK)).server(status(3, FX_EOF, "End of file"))
                .client(close(4, H1)).server(ok(4));
        List<TransferEvent> seen = replay(c, Conversation.WHOLE);
        assertEquals(List.of("sftp.open", "sftp.failed", "sftp.close"), seen.stream().map(TransferEvent::kind).toList());
        assertEquals("read", assertInstanceOf(Failed.class, seen.get(1)).op());
    }

    @Test
    void failedCloseIsReportedAndTheFileIsClosedIncomplete() {
        Conversation c = opened("/tmp/f", UPLOAD).client(close(2, H1)).server(status(2, FX_FAILURE, "EIO"));
        List<TransferEvent> seen = replay(c, Conversation.WHOLE);
        assertEquals("close", assertInstanceOf(Failed.class, seen.get(1)).op());
        assertFalse(assertInstanceOf(Closed.class, seen.get(2)).complete());
    }

    @Test
    void directoryHandlesAndUntrackedRequestsReportNothing() {
        Conversation c = new Conversation().client(init()).server(version(3))
                .client(pathRequest(REALPATH, 1, ".")).server(name(1, 1))
                .client(pathRequest(OPENDIR, 2, "/var")).server(handle(2, H2))
                .client(packet(READDIR).u32(3).string(H2).bytes()).server(name(3, 500))
                .client(packet(READDIR).u32(4).string(H2).bytes()).server(status(4, FX_EOF, "EOF"))
                .client(close(5, H2)).server(ok(5))
                .client(pathRequest(LSTAT, 6, "/etc")).server(packet(ATTRS).u32(6).u32(0).bytes())
                .client(extended(7, "statvfs@openssh.com", "/")).server(packet(EXTENDED_REPLY).u32(7).u64(1).bytes())
                .client(packet(77).u32(8).string("future").bytes()).server(packet(199).u32(8).bytes());

        SftpObserver observer = new SftpObserver(events::add);
        c.replay(observer, Conversation.random(3));
        assertEquals(List.of(), events);
        assertTrue(observer.inSync());
    }

    @Test
    void fsetstatOnAnOpenHandleNamesTheFile() {
        Conversation c = opened("/srv/run.sh", UPLOAD).client(fsetstat(2, H1, 0755)).server(ok(2));
        List<TransferEvent> seen = replay(c, Conversation.WHOLE);
        assertEquals(new AttributesSet(TransferProtocol.SFTP, "/srv/run.sh",
                new FileAttributes(null, null, null, 0755, null, null)), seen.get(1));
    }

    @Test
    void oversizedPacketLosesSyncOnceAndIgnoresTheRest() {
        SftpObserver observer = new SftpObserver(events::add);
        byte[] bogus = {0x00, 0x20, 0x00, 0x01, (byte) WRITE, 1, 2, 3};
        observer.fromClient(bogus, 0, bogus.length);
        byte[] valid = mkdir(1, "/x");
        observer.fromClient(valid, 0, valid.length);
        byte[] reply = ok(1);
        observer.fromServer(reply, 0, reply.length);

        assertFalse(observer.inSync());
        assertEquals(1, events.size(), events::toString);
        SyncLost lost = assertInstanceOf(SyncLost.class, events.get(0));
        assertTrue(lost.reason().startsWith("client: SFTP packet length 2097153"), lost.reason());
        assertEquals("sftp.sync-lost", lost.kind());
    }

    @Test
    void unsupportedVersionLosesSync() {
        SftpObserver observer = new SftpObserver(events::add);
        byte[] v6 = version(6);
        observer.fromServer(v6, 0, v6.length);
        assertFalse(observer.inSync());
        assertTrue(assertInstanceOf(SyncLost.class, events.get(0)).reason().contains("version 6"));
    }

    @Test
    void filesOpenWhenSyncIsLostAreClosedIncompleteWithoutDigest() {
        byte[] content = randomBytes(1000, 12);
        Conversation c = opened("/tmp/f", UPLOAD).client(write(2, H1, 0, content, 0, 1000)).server(ok(2))
                .client(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 6});
        List<TransferEvent> seen = new ArrayList<>();
        SftpObserver observer = new SftpObserver(seen::add);
        c.replay(observer, Conversation.WHOLE);
        assertFalse(observer.inSync());
        assertEquals(3, seen.size(), seen::toString);
        assertInstanceOf(SyncLost.class, seen.get(1));
        Closed closed = assertInstanceOf(Closed.class, seen.get(2));
        assertFalse(closed.complete());
        assertEquals(1000, closed.bytesWritten());
        assertEquals(ContentDigest.SYNC_LOST, closed.digest().unavailableReason());
    }

    @Test
    void endReportsOpenFilesAsIncompleteOnce() {
        byte[] content = randomBytes(10, 13);
        SftpObserver observer = new SftpObserver(events::add);
        opened("/tmp/f", UPLOAD).client(write(2, H1, 0, content, 0, 10)).replay(observer, Conversation.WHOLE);
        observer.end();
        observer.end();
        byte[] more = ok(2);
        observer.fromServer(more, 0, more.length);

        assertEquals(2, events.size(), events::toString);
        Closed closed = assertInstanceOf(Closed.class, events.get(1));
        assertFalse(closed.complete());
        assertEquals(sha256(content), closed.digest().sha256());
    }

    @Test
    void tooManyPendingRequestsLosesSync() {
        SftpObserver observer = new SftpObserver(events::add, new SftpObserver.Limits(64 * 1024, 100, 100));
        for (int id = 0; id < 100; id++) {
            byte[] b = pathRequest(REMOVE, id, "/tmp/" + id);
            observer.fromClient(b, 0, b.length);
        }
        assertTrue(observer.inSync());
        byte[] b = pathRequest(REMOVE, 100, "/tmp/100");
        observer.fromClient(b, 0, b.length);
        assertFalse(observer.inSync());
        assertTrue(assertInstanceOf(SyncLost.class, events.get(0)).reason().contains("more than 100"));
    }

    @Test
    void tooManyOpenHandlesLosesSync() {
        SftpObserver observer = new SftpObserver(events::add, new SftpObserver.Limits(64 * 1024, 100, 10));
        for (int i = 0; i <= 10; i++) {
            byte[] handle = {0, 0, 1, (byte) i};
            byte[] request = open(i, "/tmp/" + i, OpenMode.READ);
            byte[] reply = handle(i, handle);
            observer.fromClient(request, 0, request.length);
            observer.fromServer(reply, 0, reply.length);
        }
        assertFalse(observer.inSync());
        assertEquals(10, events.stream().filter(Opened.class::isInstance).count());
        assertEquals(1, events.stream().filter(SyncLost.class::isInstance).count());
        assertEquals(10, events.stream().filter(Closed.class::isInstance).count(), "open files reported at loss");
    }

    @Test
    void writePayloadsAreHashedWithoutBeingBuffered() {
        byte[] content = randomBytes(1024 * 1024 - 64, 14);
        SftpObserver observer = new SftpObserver(events::add);
        opened("/tmp/big", UPLOAD).client(write(2, H1, 0, content, 0, content.length))
                .server(ok(2)).client(close(3, H1)).server(ok(3)).replay(observer, Conversation.random(5));
        assertTrue(observer.bufferCapacity() < 4096, "buffered " + observer.bufferCapacity());
        assertEquals(sha256(content), assertInstanceOf(Closed.class, events.get(1)).digest().sha256());
    }

    @Test
    void randomGarbageNeverThrowsAndLosesSyncAtMostOnce() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<TransferEvent> seen = new ArrayList<>();
            SftpObserver observer = new SftpObserver(seen::add);
            byte[] prefix = mixedSessionPrefix();
            observer.fromClient(prefix, 0, prefix.length);
            for (int i = 0; i < 20; i++) {
                byte[] junk = randomBytes(random.nextInt(300), random.nextLong());
                if (random.nextBoolean() && junk.length > 4) {
                    junk[0] = 0;
                    junk[1] = 0;
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
            seen.forEach(e -> assertFalse(e.fields().containsValue(null)));
        }
    }

    @Test
    void mutatedSessionsNeverBreakTheObserver() {
        Conversation session = mixedSession();
        for (long seed = 0; seed < 3000; seed++) {
            List<TransferEvent> seen = new ArrayList<>();
            SftpObserver observer = new SftpObserver(seen::add);
            session.mutated(seed, 1 + (int) (seed % 4)).replay(observer, Conversation.random(seed));
            observer.end();
            assertTrue(seen.stream().filter(SyncLost.class::isInstance).count() <= 1);
            for (TransferEvent e : seen) {
                assertFalse(e.fields().containsValue(null), e::toString);
                if (e instanceof SyncLost lost) {
                    assertFalse(lost.reason().startsWith("observer error"), lost.reason());
                }
            }
        }
    }

    @Test
    void truncatedAndLyingPacketsLoseSyncWithoutThrowing() {
        List<byte[]> bad = List.of(
                packet(OPEN).bytes(),
                packet(OPEN).u32(1).u32(1000).bytes(),
                packet(WRITE).u32(1).u32(4).raw(H1).u64(0).u32(999).bytes(),
                packet(WRITE).u32(1).u32(100_000).bytes(),
                new byte[] {0, 0, 0, 0, 5},
                packet(RENAME).u32(1).string("/a").bytes(),
                packet(VERSION).bytes());
        for (byte[] b : bad) {
            List<TransferEvent> seen = new ArrayList<>();
            SftpObserver observer = new SftpObserver(seen::add);
            observer.fromClient(b, 0, b.length);
            observer.fromServer(b, 0, b.length);
            assertFalse(observer.inSync(), HexFormat.of().formatHex(b));
            assertEquals(1, seen.size());
        }
    }

    @Test
    void sinkFailurePropagatesAndLaterEventsStillArrive() {
        List<TransferEvent> seen = new ArrayList<>();
        boolean[] failNext = {true};
        SftpObserver observer = new SftpObserver(e -> {
            if (failNext[0]) {
                failNext[0] = false;
                throw new IllegalStateException("recorder full");
            }
            seen.add(e);
        });
        byte[] request = Conversation.concat(mkdir(1, "/a"), mkdir(2, "/b"));
        byte[] replies = Conversation.concat(ok(1), ok(2));
        observer.fromClient(request, 0, request.length);
        assertThrows(IllegalStateException.class, () -> observer.fromServer(replies, 0, replies.length));
        observer.end();
        // The event the sink refused is offered again, ahead of the rest.
        assertEquals(List.of(new DirCreated(TransferProtocol.SFTP, "/a"), new DirCreated(TransferProtocol.SFTP, "/b")),
                seen);
        assertTrue(observer.inSync());
    }

    @Test
    void fieldsNeverHoldNullsAndKindsArePrefixed() {
        List<TransferEvent> seen = replay(mixedSession(), Conversation.WHOLE);
        for (TransferEvent e : seen) {
            assertTrue(e.kind().startsWith("sftp."), e.kind());
            assertFalse(e.fields().containsValue(null), e::toString);
            assertNotNull(e.fields().get(e instanceof Renamed ? "from" : e instanceof LinkCreated ? "link" : "path"));
        }
    }

    private List<TransferEvent> replay(Conversation conversation, Conversation.Chunker chunker) {
        List<TransferEvent> seen = new ArrayList<>();
        SftpObserver observer = new SftpObserver(seen::add);
        conversation.replay(observer, chunker);
        assertTrue(observer.inSync(), () -> "lost sync: " + seen);
        return seen;
    }

    /** INIT/VERSION, then OPEN of {@code path} answered with handle {@link #H1}. */
    private static Conversation opened(String path, int pflags) {
        return new Conversation().client(init()).server(version(3))
                .client(open(1, path, pflags)).server(handle(1, H1));
    }

    /** An OpenSSH-style upload: pipelined 32 KiB writes, acknowledged in order. */
    private static Conversation upload(String path, byte[] content) {
        Conversation c = new Conversation().client(init()).server(version(3))
                .client(open(1, path, UPLOAD, 0644)).server(handle(1, H1));
        int id = 2;
        for (int off = 0; off < content.length; off += CHUNK) {
            c.client(write(id, H1, off, content, off, Math.min(CHUNK, content.length - off)));
            c.server(ok(id++));
        }
        return c.client(close(id, H1)).server(ok(id));
    }

    private static byte[] mixedSessionPrefix() {
        return Conversation.concat(init(), open(1, "/srv/log", UPLOAD));
    }

    private static Conversation mixedSession() {
        byte[] content = "hello, evidence\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new Conversation().client(mixedSessionPrefix()).server(version(3), handle(1, H1))
                .client(write(2, H1, 0, content, 0, content.length)).server(ok(2))
                .client(close(3, H1)).server(ok(3))
                .client(mkdir(4, "/d"), twoPaths(RENAME, 5, "/a", "/b"),
                        extended(6, "posix-rename@openssh.com", "/b", "/c"), pathRequest(REMOVE, 7, "/c"),
                        pathRequest(RMDIR, 8, "/d"), setstat(9, "/etc/sudoers", 04755))
                .server(ok(4), ok(5), ok(6), ok(7), ok(8), ok(9))
                .client(twoPaths(SYMLINK, 10, "/etc/shadow", "/tmp/link"),
                        extended(11, "hardlink@openssh.com", "/etc/passwd", "/tmp/hard"),
                        pathRequest(REMOVE, 12, "/etc/passwd"),
                        packet(EXTENDED).u32(13).string("lsetstat@openssh.com").string("/srv/log").attrs(0600).bytes())
                .server(ok(10), ok(11), status(12, FX_PERMISSION_DENIED, "Permission denied"), ok(13));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
