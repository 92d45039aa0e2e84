package io.catchment.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Waiting for files to reach a state, through the public API as a client would. */
public final class Files {
    private static final Set<String> FINAL = Set.of("READY", "SYNC_ERROR", "READY_TO_SYNC", "SYNC_ABORTED");

    private Files() {}

    /** The file once it is in a final state (fails after {@code timeout}). */
    public static JsonNode awaitFinal(Client client, long fileId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Reply r = client.post("/user_files_v2", Map.of("filters", Map.of("ids", List.of(fileId))));
            if (r.status() != 200) throw new AssertionError("listing failed: " + r);
            last = r.json().get("results").get(0);
            if (last != null && FINAL.contains(last.get("sync_status").asText())) return last;
            sleep(100);
        }
        throw new AssertionError("file " + fileId + " not final within " + timeout + "; last seen: " + last);
    }

    public static JsonNode awaitReady(Client client, long fileId) {
        JsonNode f = awaitFinal(client, fileId, Duration.ofSeconds(90));
        if (!"READY".equals(f.get("sync_status").asText())) throw new AssertionError("not READY: " + f);
        return f;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
