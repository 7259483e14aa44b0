package dev.portier.recorder.asciicast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8JsonEscaperTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Escapes {@code bytes} cut at {@code cuts}, and reads the result back as a JSON string. */
    private static String roundTrip(byte[] bytes, int... cuts) throws Exception {
        Utf8JsonEscaper escaper = new Utf8JsonEscaper();
        byte[] out = new byte[Utf8JsonEscaper.maxEscapedLength(bytes.length) + 2 * cuts.length + 16];
        int o = 0;
        out[o++] = '"';
        int from = 0;
        for (int cut : cuts) {
            o = escaper.escape(bytes, from, cut - from, out, o, false);
            from = cut;
        }
        o = escaper.escape(bytes, from, bytes.length - from, out, o, true);
        out[o++] = '"';
        return JSON.readValue(Arrays.copyOf(out, o), String.class);
    }

    /** The reference: what a CharsetDecoder with REPLACE makes of the whole stream at once. */
    private static String decoded(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    @Test
    void characterSplitAcrossChunksIsKeptWhole() throws Exception {
        byte[] bytes = "a😀b€é".getBytes(StandardCharsets.UTF_8);
        assertEquals("a😀b€é", roundTrip(bytes, 2, 3, 4, 7, 8, 9));
    }

    @Test
    void partialCharacterWritesNothingUntilTheRestArrives() {
        Utf8JsonEscaper escaper = new Utf8JsonEscaper();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[32];
        assertEquals(0, escaper.escape(euro, 0, 2, out, 0, false));
        assertTrue(escaper.hasPending());
        assertEquals(3, escaper.escape(euro, 2, 1, out, 0, false));
        assertEquals("€", new String(out, 0, 3, StandardCharsets.UTF_8));
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscaped() throws Exception {
        byte[] bytes = "\u001b[0m\"q\"\\\r\n\t\b\f\u0000\u007f".getBytes(StandardCharsets.UTF_8);
        Utf8JsonEscaper escaper = new Utf8JsonEscaper();
        byte[] out = new byte[Utf8JsonEscaper.maxEscapedLength(bytes.length)];
        int n = escaper.escape(bytes, 0, bytes.length, out, 0, true);
        assertEquals("\\u001B[0m\\\"q\\\"\\\\\\r\\n\\t\\b\\f\\u0000\u007f", new String(out, 0, n, StandardCharsets.UTF_8));
        assertEquals(new String(bytes, StandardCharsets.UTF_8), roundTrip(bytes));
    }

    @Test
    void illFormedBytesAreReplacedLikeTheJdkDecoder() throws Exception {
        byte[][] cases = {
            {'x', (byte) 0xc3, '(', (byte) 0xff, 'y'},
            {(byte) 0xe2, (byte) 0x82, 'A'},
            {(byte) 0xe0, (byte) 0x80, (byte) 0x80},            // overlong
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},            // surrogate
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xc0, (byte) 0xaf, (byte) 0xf5, (byte) 0x80},
            {'o', 'k', (byte) 0xf0, (byte) 0x9f},                // cut off at the end
        };
        for (byte[] bytes : cases) {
            assertEquals(decoded(bytes), roundTrip(bytes), Arrays.toString(bytes));
        }
    }

    @Test
    void randomStreamsInRandomChunksMatchTheJdkDecoder() throws Exception {
        Random random = new Random(42);
        byte[] alphabet = "aZ \"\\\u001b\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] special = {(byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0, (byte) 0xe1,
            (byte) 0xed, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff, (byte) 0x9f, (byte) 0xa0};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                int kind = random.nextInt(4);
                bytes[i] = kind == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : kind == 1 ? special[random.nextInt(special.length)] : (byte) random.nextInt(256);
            }
            if (round % 3 == 0) {
                byte[] valid = "é€😀✓ 日本".getBytes(StandardCharsets.UTF_8);
                byte[] mixed = Arrays.copyOf(valid, valid.length + bytes.length);
                System.arraycopy(bytes, 0, mixed, valid.length, bytes.length);
                bytes = mixed;
            }
            int[] cuts = random.ints(random.nextInt(5), 0, bytes.length + 1).sorted().toArray();
            assertEquals(decoded(bytes), roundTrip(bytes, cuts), Arrays.toString(bytes) + " cut at " + Arrays.toString(cuts));
        }
    }

    @Test
    void largeChunksPassThrough() throws Exception {
        String big = "ü".repeat(50_000) + "end";
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        assertEquals(big, roundTrip(bytes, 33_333));
    }
}
