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
import io.catchment.json.Json;
import io.catchment.webhooks.Event;
import io.catchment.webhooks.ObjectType;
import io.catchment.webhooks.WebhookType;
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

    /** New files are stored this many to a transaction. */
    private static final int BATCH = 500;

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
        List<StoredItem> newFiles = new ArrayList<>();
        List<Long> skipped = new ArrayList<>();
        List<SourceItems.Link> links = new ArrayList<>();
        for (var e : wanted.entrySet()) {
            StoredItem item = byId.get(e.getKey());
            Selections.Selection sel = e.getValue();
            OptionalLong parent = parentFile(item, fileIds);
            StoredFile file = existing.get(e.getKey());
            if (file == null) {
                if (item.item().isFile()) {
                    newFiles.add(item); // made in batches below; their parents (folders) exist by then
                    continue;
                }
                StoredFile folder = files.create(newFile(ds, item, sel.settings(), parent), FileStatus.READY);
                fileIds.put(e.getKey(), folder.id());
                links.add(new SourceItems.Link(item.id(), folder.id(), item.item().version()));
                created++;
                continue;
            }
            if (item.item().isFile() && sel.requested() && !needsIngesting(file, item, sel)) {
                skipped.add(file.id()); // incremental_sync: unchanged at the source, same embedding properties
            }
            if (item.item().isFile() && needsIngesting(file, item, sel)) {
                ingestion.refetch(file, sel.settings().options());
                links.add(new SourceItems.Link(item.id(), file.id(), item.item().version()));
                refetched++;
            } else if (item.fileId().isEmpty()) {
                links.add(new SourceItems.Link(item.id(), file.id(), item.item().version()));
            }
            if (!file.name().equals(item.item().name()) || !file.parentId().equals(parent)) {
                lifecycle.rename(file.id(), item.item().name(), parent, item.item().externalUrl());
                renamed++;
            }
        }
        for (int from = 0; from < newFiles.size(); from += BATCH) {
            List<StoredItem> batch = newFiles.subList(from, Math.min(newFiles.size(), from + BATCH));
            List<NewFile> made = batch.stream().map(i -> newFile(ds, i, wanted.get(i.item().externalId()).settings(),
                    parentFile(i, fileIds))).toList();
            List<StoredFile> stored = ingestion.submitAll(made, userLimits);
            for (int i = 0; i < stored.size(); i++) {
                links.add(new SourceItems.Link(batch.get(i).id(), stored.get(i).id(), batch.get(i).item().version()));
            }
            created += stored.size();
            if (stored.size() < batch.size()) break; // max_files reached
        }
        items.linkFiles(links);
        announce(ds, picked, created + refetched, skipped);
        selections.clearRequested(ds.id());
        Result result = new Result(created, refetched, renamed, unwanted.size());
        log.atInfo().addKeyValue("data_source_id", ds.id()).addKeyValue("created", created).addKeyValue("refetched", refetched)
                .addKeyValue("renamed", renamed).addKeyValue("deleted", unwanted.size()).log("files reconciled with the source");
        return result;
    }

    /**
     * ALL_UPLOADED_FILES_QUEUED once a sync request's files are all queued (by request id when the
     * request had one, else the data source), and FILES_SKIPPED for the files incremental_sync left alone.
     */
    private void announce(DataSource ds, Map<String, Selections.Selection> picked, int queued, List<Long> skipped) {
        if (!skipped.isEmpty()) {
            files.record(Event.ofList(ds.organizationId(), ds.customerId(), WebhookType.FILES_SKIPPED, ObjectType.FILE_LIST,
                    skipped).with(Json.object().put("reason", "unchanged at the source (incremental_sync)")));
        }
        if (queued == 0) return;
        Optional<String> request = picked.values().stream().filter(Selections.Selection::requested)
                .map(sel -> sel.settings().requestId()).flatMap(Optional::stream).findFirst();
        Event event = request.isPresent()
                ? new Event(ds.organizationId(), ds.customerId(), WebhookType.ALL_UPLOADED_FILES_QUEUED,
                        ObjectType.UPLOAD_REQUEST_ID, Json.tree(request.get()), com.fasterxml.jackson.databind.node.NullNode.getInstance())
                : Event.of(ds.organizationId(), ds.customerId(), WebhookType.ALL_UPLOADED_FILES_QUEUED,
                        ObjectType.DATA_SOURCE, ds.id());
        files.record(event.with(Json.object().put("data_source_id", ds.id()).put("files_queued", queued)));
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
        if (!sel.requested()) return false;
        if (!sel.settings().incremental()) return true;
        return !embeddingProperties(file.options()).equals(embeddingProperties(sel.settings().options()));
    }

    private static List<Object> embeddingProperties(IngestOptions o) {
        return List.of(o.chunkSize(), o.chunkOverlap(), o.embeddingModel(), o.skipEmbeddingGeneration(), o.useOcr(),
                o.setPageAsBoundary(), o.prependFilenameToChunks(), o.maxItemsPerChunk(), o.splitRows(), o.mediaType());
    }

    private static OptionalLong parentFile(StoredItem item, Map<String, Long> fileIds) {
        return item.item().parentExternalId().map(fileIds::get).filter(Objects::nonNull)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static NewFile newFile(DataSource ds, StoredItem stored, SyncSettings settings, OptionalLong parent) {
        SourceItem item = stored.item();
        ObjectNode tags = ds.tags().deepCopy();
        tags.setAll(settings.tags());
        ObjectNode metadata = Json.object();
        metadata.put("item_type", item.itemType());
        item.size().ifPresent(size -> metadata.put("size", size));
        item.modifiedAt().ifPresent(m -> metadata.put("source_modified_at", m.toString()));
        boolean folder = !item.isFile();
        IngestOptions options = folder ? settings.options().withSkipFileProcessing(true) : settings.options();
        return new NewFile(ds.organizationId(), ds.customerId(), OptionalLong.of(ds.id()), ds.type().name(),
                item.externalId(), item.externalUrl(), item.name(), parent, folder ? Optional.empty() : item.fileFormat(),
                options, tags, metadata, Optional.empty(), settings.requestId(), Optional.empty(), item.createdAt());
    }
}
