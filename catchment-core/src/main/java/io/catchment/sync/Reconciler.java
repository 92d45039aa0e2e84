package io.catchment.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.SourceItem;
import io.catchment.datasource.DataSource;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.FileStore;
import io.catchment.files.IngestOptions;
import io.catchment.files.NewFile;
import io.catchment.files.StoredFile;
import io.catchment.ingest.Ingestion;
import io.catchment.ingest.Submission;
import io.catchment.json.Json;
import io.catchment.tenancy.UserConfiguration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a data source's files in line with its crawled items and the user's selections, using
 * only the database: every item at or below a selection has a file (folders as READY records so
 * {@code parent_id} means something); a file whose item changed version is fetched again, a
 * renamed or moved one is renamed, and one whose item is gone (or left every selection) is deleted
 * and drops out of search. Safe to run again after a crash: files are unique per external id.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    public record Result(int created, int refetched, int renamed, int deleted) {}

    private final Selections selections;
    private final SourceItems items;
    private final FileStore files;
    private final FileLifecycle lifecycle;
    private final Ingestion ingestion;
    private final Function<DataSource, UserConfiguration> limits;

    public Reconciler(Selections selections, SourceItems items, FileStore files, FileLifecycle lifecycle,
                      Ingestion ingestion, Function<DataSource, UserConfiguration> limits) {
        this.selections = selections;
        this.items = items;
        this.files = files;
        this.lifecycle = lifecycle;
        this.ingestion = ingestion;
        this.limits = limits;
    }

    public Result reconcile(DataSource ds) {
        Map<String, Selections.Selection> picked = selections.of(ds.id());
        List<StoredItem> all = items.all(ds.id());
        Map<String, StoredItem> byId = new HashMap<>();
        Map<String, List<StoredItem>> children = new HashMap<>();
        for (StoredItem i : all) {
            byId.put(i.item().externalId(), i);
            i.item().parentExternalId().ifPresent(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(i));
        }
        Map<String, Selections.Selection> wanted = wanted(picked, byId, children);
        Map<String, StoredFile> existing = files.forDataSource(ds.id());

        List<StoredFile> unwanted = existing.values().stream().filter(f -> !wanted.containsKey(f.externalFileId())).toList();
        ingestion.delete(unwanted, false);
        items.unlinkFiles(ds.id(), unwanted.stream().map(StoredFile::id).toList());

        int created = 0, refetched = 0, renamed = 0;
        Map<String, Long> fileIds = new HashMap<>();
        existing.forEach((ext, f) -> fileIds.put(ext, f.id()));
        UserConfiguration userLimits = limits.apply(ds);
        for (var e : wanted.entrySet()) {
            StoredItem item = byId.get(e.getKey());
            Selections.Selection sel = e.getValue();
            OptionalLong parent = item.item().parentExternalId().map(fileIds::get).filter(Objects::nonNull)
                    .map(OptionalLong::of).orElse(OptionalLong.empty());
            StoredFile file = existing.get(e.getKey());
            if (file == null) {
                Optional<StoredFile> made = create(ds, item, sel.settings(), parent, userLimits);
                if (made.isEmpty()) continue;
                fileIds.put(e.getKey(), made.get().id());
                items.linkFile(item.id(), made.get().id(), item.item().version());
                created++;
                continue;
            }
            if (item.item().isFile() && needsIngesting(file, item, sel)) {
                ingestion.refetch(file, sel.settings().options());
                items.linkFile(item.id(), file.id(), item.item().version());
                refetched++;
            } else if (item.fileId().isEmpty()) {
                items.linkFile(item.id(), file.id(), item.item().version());
            }
            if (!file.name().equals(item.item().name()) || !sameParent(file.parentId(), parent)) {
                lifecycle.rename(file.id(), item.item().name(), parent, item.item().externalUrl());
                renamed++;
            }
        }
        selections.clearForce(ds.id());
        Result result = new Result(created, refetched, renamed, unwanted.size());
        log.atInfo().addKeyValue("data_source_id", ds.id()).addKeyValue("created", created).addKeyValue("refetched", refetched)
                .addKeyValue("renamed", renamed).addKeyValue("deleted", unwanted.size()).log("files reconciled with the source");
        return result;
    }

    /** Items at or below each selection, parents before children; the newest selection's settings win. */
    private static Map<String, Selections.Selection> wanted(Map<String, Selections.Selection> picked,
                                                            Map<String, StoredItem> byId,
                                                            Map<String, List<StoredItem>> children) {
        Map<String, Selections.Selection> wanted = new LinkedHashMap<>();
        for (Selections.Selection sel : picked.values()) {
            StoredItem root = byId.get(sel.externalId());
            if (root == null) continue; // not crawled yet, or gone at the source
            Deque<StoredItem> queue = new ArrayDeque<>(List.of(root));
            while (!queue.isEmpty()) {
                StoredItem i = queue.poll();
                if (wanted.putIfAbsent(i.item().externalId(), sel) != null) continue;
                queue.addAll(children.getOrDefault(i.item().externalId(), List.of()));
            }
        }
        return wanted;
    }

    /**
     * Changed at the source since it was ingested, or asked for again: without incremental_sync a
     * files/sync ingests its files again; with it, only when the version or the embedding
     * properties differ.
     */
    private static boolean needsIngesting(StoredFile file, StoredItem item, Selections.Selection sel) {
        if (item.changedSinceSync()) return true;
        if (!sel.force()) return false;
        if (!sel.settings().incremental()) return true;
        return !embeddingProperties(file.options()).equals(embeddingProperties(sel.settings().options()));
    }

    private static List<Object> embeddingProperties(IngestOptions o) {
        return List.of(o.chunkSize(), o.chunkOverlap(), o.embeddingModel(), o.skipEmbeddingGeneration(), o.useOcr(),
                o.setPageAsBoundary(), o.prependFilenameToChunks(), o.maxItemsPerChunk(), o.splitRows(), o.mediaType());
    }

    private Optional<StoredFile> create(DataSource ds, StoredItem stored, SyncSettings settings, OptionalLong parent,
                                        UserConfiguration userLimits) {
        SourceItem item = stored.item();
        ObjectNode tags = ds.tags().deepCopy();
        tags.setAll(settings.tags());
        ObjectNode metadata = Json.object();
        metadata.put("item_type", item.itemType());
        item.size().ifPresent(size -> metadata.put("size", size));
        item.modifiedAt().ifPresent(m -> metadata.put("source_modified_at", m.toString()));
        boolean folder = !item.isFile();
        IngestOptions options = folder ? settings.options().withSkipFileProcessing(true) : settings.options();
        NewFile file = new NewFile(ds.organizationId(), ds.customerId(), OptionalLong.of(ds.id()), ds.type().name(),
                item.externalId(), item.externalUrl(), item.name(), parent, folder ? Optional.empty() : item.fileFormat(),
                options, tags, metadata, Optional.empty(), settings.requestId(), Optional.empty(), item.createdAt());
        if (folder) return Optional.of(files.create(file, FileStatus.READY));
        return switch (ingestion.submit(file, userLimits, 1)) {
            case Submission.Accepted a -> Optional.of(a.file());
            case Submission.Refused r -> {
                log.atInfo().addKeyValue("data_source_id", ds.id()).addKeyValue("item", item.externalId())
                        .addKeyValue("reason", r.reason()).log("file not synced: limit reached");
                yield Optional.empty();
            }
        };
    }

    private static boolean sameParent(OptionalLong a, OptionalLong b) {
        return a.equals(b);
    }
}
