package dev.portier.gateway.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CefFormatTest {

    @Test
    void headerEscapesPipeAndBackslash() {
        assertEquals("a\\|b\\\\c d", CefFormat.header("a|b\\c\nd"));
    }

    @Test
    void extensionEscapesEqualsBackslashAndLineBreaks() {
        assertEquals("k\\=v \\\\ x\\ny\\r|", CefFormat.extensionValue("k=v \\ x\ny\r|"));
    }

    @Test
    void standardFieldsGoToCefKeysAndTheRestToDetails() {
        String line = "{\"time\":\"2024-05-01T10:00:00Z\",\"type\":\"access.denied\",\"actor\":\"alice\","
                + "\"target\":\"rtr-bru-01\",\"sessionId\":\"s1\",\"decision\":\"deny\",\"reason\":\"no grant; a=b\","
                + "\"account\":\"admin\",\"prevHash\":\"" + "0".repeat(64) + "\",\"hash\":\"" + "a".repeat(64) + "\"}";
        AuditRecord r = AuditRecord.parse(line.getBytes(StandardCharsets.UTF_8));
        assertEquals("CEF:0|Portier|Portier|0.1.0|access.denied|access.denied|6|rt=1714557600000 externalId="
                        + "a".repeat(64) + " suser=alice dhost=rtr-bru-01 act=deny reason=no grant; a\\=b"
                        + " cs1Label=sessionId cs1=s1 cs3Label=details cs3={\"account\":\"admin\"}",
                CefFormat.render(r, r.node(), "0.1.0", EventSeverity.of(r.type(), "deny")));
    }
}
