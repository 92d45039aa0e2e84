package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.testing.schema.CarbonSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What a client application does around a sync, through the public API only, with waits that fail loudly. */
final class SyncDriver {
    static final Duration PATIENCE = Duration.ofSeconds(120);

    private final Client user;

    SyncDriver(Client user) {
        this.user = user;
    }

    JsonNode dataSource(long id) {
        Reply r = user.post("/user_data_sources", Map.of("filters", Map.of("ids", List.of(id))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/user_data_sources", "post", 200, r.json());
        assertThat(r.json().get("count").asInt()).isEqualTo(1);
        return r.json().get("results").get(0);
    }

    /** Waits until the data source satisfies {@code done}; fails at once on SYNC_ERROR. */
    JsonNode awaitDataSource(long id, String what, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = dataSource(id);
            if (done.test(last)) return last;
            if ("SYNC_ERROR".equals(last.get("sync_status").asText())) {
                throw new AssertionError("data source failed while waiting for " + what + ": " + last);
            }
            sleep(150);
        }
        throw new AssertionError("data source " + id + ": no " + what + " within " + PATIENCE + "; last: " + last);
    }

    /** Waits for the crawl that follows connecting (or items/sync). */
    JsonNode awaitCrawled(long id) {
        return awaitDataSource(id, "crawl", d -> "READY".equals(d.get("sync_status").asText())
                && !d.get("source_items_synced_at").isNull());
    }

    /** Every item under {@code parentId} (all items when null), paging through items/list. */
    List<JsonNode> items(long dataSourceId, String parentId, Map<String, Object> filters) {
        List<JsonNode> all = new ArrayList<>();
        int offset = 0;
        while (true) {
            Map<String, Object> body = new HashMap<>();
            body.put("data_source_id", dataSourceId);
            if (parentId != null) body.put("parent_id", parentId);
            if (!filters.isEmpty()) body.put("filters", filters);
            body.put("pagination", Map.of("limit", 250, "offset", offset));
            Reply r = user.post("/integrations/items/list", body);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            CarbonSchemas.assertValidResponse("/integrations/items/list", "post", 200, r.json());
            r.json().get("items").forEach(all::add);
            offset += r.json().get("items").size();
            if (r.json().get("items").isEmpty() || offset >= r.json().get("count").asLong()) return all;
        }
    }

    /** The one item with this name (anywhere in the tree). */
    JsonNode item(long dataSourceId, String name) {
        List<JsonNode> found = items(dataSourceId, null, Map.of("name", name)).stream()
                .filter(i -> i.get("name").asText().equals(name)).toList();
        assertThat(found).as("items named " + name).hasSize(1);
        return found.getFirst();
    }

    /** The data source's files (folders included), by name. */
    Map<String, JsonNode> files(long dataSourceId) {
        Map<String, JsonNode> byName = new HashMap<>();
        int offset = 0;
        while (true) {
            Reply r = user.post("/user_files_v2", Map.of("filters", Map.of("organization_user_data_source_id",
                    List.of(dataSourceId)), "pagination", Map.of("limit", 250, "offset", offset)));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode results = r.json().get("results");
            for (JsonNode f : results) {
                JsonNode previous = byName.put(f.get("name").asText(), f);
                assertThat(previous).as("one file per name: " + f.get("name")).isNull();
            }
            offset += results.size();
            if (results.isEmpty() || offset >= r.json().get("count").asLong()) return byName;
        }
    }

    /** Waits until the files, by name, satisfy {@code done}. */
    Map<String, JsonNode> awaitFiles(long dataSourceId, String what, Predicate<Map<String, JsonNode>> done) {
        Instant deadline = Instant.now().plus(PATIENCE);
        Map<String, JsonNode> last = Map.of();
        while (Instant.now().isBefore(deadline)) {
            last = files(dataSourceId);
            if (done.test(last)) return last;
            sleep(200);
        }
        throw new AssertionError("files: no " + what + " within " + PATIENCE + "; last: " + last);
    }

    static boolean ready(Map<String, JsonNode> files, String... names) {
        for (String n : names) {
            JsonNode f = files.get(n);
            if (f == null || !"READY".equals(f.get("sync_status").asText())) return false;
        }
        return true;
    }

    /** The ids of the files the top {@code k} chunks for {@code query} come from. */
    List<Long> searchFileIds(String query, int k) {
        Reply r = user.post("/embeddings", Map.of("query", query, "k", k));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().get("documents").forEach(d -> ids.add(d.get("file_id").asLong()));
        return ids;
    }

    /** The chunk texts of the top {@code k} results for {@code query}. */
    List<String> searchContents(String query, int k) {
        Reply r = user.post("/embeddings", Map.of("query", query, "k", k));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> contents = new ArrayList<>();
        r.json().get("documents").forEach(d -> contents.add(d.get("content").asText()));
        return contents;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
