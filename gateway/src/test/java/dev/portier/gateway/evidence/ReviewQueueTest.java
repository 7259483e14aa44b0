package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.SpotCheckConfig;
import dev.portier.config.TargetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewQueueTest {
    @TempDir
    Path dir;

    @Test
    void decisionsSurviveARestart() throws Exception {
        ReviewQueue q = new ReviewQueue(dir);
        q.sample("20261127T100000Z-0000000a", "s-1", "dave", "srv-1");
        q.sample("20261127T100000Z-0000000b", "s-2", "dave", "srv-1");
        q.decide("20261127T100000Z-0000000a", "carol", "ran rm -rf on /var/log");
        List<ReviewQueue.Review> again = new ReviewQueue(dir).all();
        assertEquals(2, again.size());
        assertEquals("finding", again.get(0).outcome());
        assertEquals("ran rm -rf on /var/log", again.get(0).finding());
        assertEquals("carol", again.get(0).reviewer());
        assertTrue(again.get(1).pending());
    }

    @Test
    void secondReviewOfTheSameRecordingIsRefused() throws Exception {
        ReviewQueue q = new ReviewQueue(dir);
        q.sample("20261127T100000Z-0000000a", "s-1", "dave", "srv-1");
        assertNull(q.decide("20261127T100000Z-0000000a", "carol", null).finding());
        assertThrows(ReviewQueue.ReviewException.class, () -> q.decide("20261127T100000Z-0000000a", "erin", null));
    }

    @Test
    void reviewOfARecordingThatWasNotSampledIsRefused() throws Exception {
        ReviewQueue q = new ReviewQueue(dir);
        assertThrows(ReviewQueue.ReviewException.class, () -> q.decide("20261127T100000Z-0000000c", "carol", null));
    }

    @Test
    void samplerTakesTheConfiguredShareOfEligibleSessionsOnly() {
        TargetConfig router = target(Map.of("contract", "acme"));
        TargetConfig server = target(Map.of("kind", "server"));
        SpotCheckConfig c = new SpotCheckConfig(30, List.of("partners"), Map.of("contract", "acme"));
        SpotCheckSampler low = new SpotCheckSampler(() -> c, () -> 29);
        SpotCheckSampler high = new SpotCheckSampler(() -> c, () -> 30);
        assertTrue(low.sample("partners", server));
        assertTrue(low.sample("employees", router));
        assertFalse(low.sample("employees", server));
        assertFalse(high.sample("partners", router));
    }

    private static TargetConfig target(Map<String, String> labels) {
        return new TargetConfig("t", dev.portier.config.HostPort.parse("127.0.0.1:22"), null, "netops",
                dev.portier.config.Classification.INTERNAL, labels, List.of("admin"), null);
    }
}
