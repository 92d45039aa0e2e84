package io.catchment.bench;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.catchment.bench.Dataset.Query;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The baseline for the search benchmark: LangChain4j's {@link InMemoryEmbeddingStore} holding the
 * same chunks, with the customer and file id as segment metadata and LangChain4j metadata filters
 * for the tenant and file restrictions. It scans every entry (exact search), so its recall is
 * 1.000 by construction and its latency is what a brute-force scan costs in the same JVM.
 */
final class InMemoryBaseline {
    private InMemoryBaseline() {}

    static void run(SearchBench.Config config, Dataset data, List<Query> queries, List<Query> warmups) {
        try (LoadSampler load = new LoadSampler()) {
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            SearchBench.progress("InMemoryEmbeddingStore: loading %,d chunks ...", data.size);
            long t0 = System.nanoTime();
            int batch = 10_000;
            for (int from = 0; from < data.size; from += batch) {
                List<String> ids = new ArrayList<>();
                List<Embedding> vectors = new ArrayList<>();
                List<TextSegment> segments = new ArrayList<>();
                for (int i = from; i < Math.min(data.size, from + batch); i++) {
                    ids.add(data.fileOf(i) + ":" + data.chunkIndexOf(i));
                    vectors.add(Embedding.from(data.vectors[i]));
                    segments.add(TextSegment.from(data.texts[i], new Metadata().put("customer", data.customerOf(i))
                            .put("file", data.fileOf(i)).put("chunk", data.chunkIndexOf(i))));
                }
                store.addAll(ids, vectors, segments);
            }
            long loadNs = System.nanoTime() - t0;
            for (Query q : warmups) {
                search(store, q, filter(q, false));
                search(store, q, filter(q, true));
            }
            String[] labels = {"(a) semantic, one customer (metadata filter)", "(b) semantic, one customer, half its files"
                    + " (metadata filters)", "semantic, whole organization (no filter)"};
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "### Baseline: LangChain4j InMemoryEmbeddingStore, %s (%,d chunks)%n%n",
                    config.mode(), data.size));
            out.append(String.format(Locale.ROOT, "Load: %,d chunks in %.1f s (`addAll` in batches of %,d, one thread).%n%n",
                    data.size, SearchBench.seconds(loadNs), batch));
            out.append("| Query (k=10) | p50 ms | p95 ms | p99 ms | mean ms | recall@10 vs brute force |\n|---|---:|---:|---:|---:|---:|\n");
            for (int kind = 0; kind < 3; kind++) {
                SearchBench.progress("InMemoryEmbeddingStore: %s ...", labels[kind]);
                long[] ns = new long[queries.size()];
                double recall = 0;
                for (int i = 0; i < queries.size(); i++) {
                    Query q = queries.get(i);
                    Filter f = kind == 2 ? null : filter(q, kind == 1);
                    long s = System.nanoTime();
                    Set<String> found = search(store, q, f);
                    ns[i] = System.nanoTime() - s;
                    if (i < config.crossChecks()) {
                        Set<String> truth = bruteForce(data, q, kind == 2 ? -1 : q.customer(), kind == 1 ? q.halfOfFiles() : null);
                        Set<String> both = new HashSet<>(found);
                        both.retainAll(truth);
                        recall += (double) both.size() / truth.size();
                    }
                }
                Stats st = new Stats(ns);
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.3f (%d queries) |%n", labels[kind],
                        ms(st.percentile(50)), ms(st.percentile(95)), ms(st.percentile(99)), ms(st.mean()),
                        recall / Math.min(config.crossChecks(), queries.size()), Math.min(config.crossChecks(), queries.size())));
            }
            out.append('\n').append("- ").append(load.summary()).append("\n\n");
            System.out.print(out);
            System.out.flush();
        }
    }

    private static Filter filter(Query q, boolean halfOfFiles) {
        Filter customer = MetadataFilterBuilder.metadataKey("customer").isEqualTo(q.customer());
        return halfOfFiles ? customer.and(MetadataFilterBuilder.metadataKey("file").isIn(q.halfOfFiles())) : customer;
    }

    private static Set<String> search(InMemoryEmbeddingStore<TextSegment> store, Query q, Filter filter) {
        var request = EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(q.vector())).maxResults(SearchBench.K)
                .minScore(0.0).filter(filter).build();
        Set<String> keys = new HashSet<>();
        for (EmbeddingMatch<TextSegment> m : store.search(request).matches()) keys.add(m.embeddingId());
        return keys;
    }

    private static Set<String> bruteForce(Dataset data, Query q, long customer, Set<Long> files) {
        record Scored(int chunk, double score) {}
        PriorityQueue<Scored> top = new PriorityQueue<>((a, b) -> Double.compare(a.score(), b.score()));
        for (int i = 0; i < data.size; i++) {
            if (customer >= 0 && data.customerOf(i) != customer) continue;
            if (files != null && !files.contains(data.fileOf(i))) continue;
            double dot = 0;
            float[] v = data.vectors[i];
            for (int d = 0; d < v.length; d++) dot += (double) v[d] * q.vector()[d];
            top.add(new Scored(i, dot));
            if (top.size() > SearchBench.K) top.poll();
        }
        Set<String> keys = new HashSet<>();
        for (Scored s : top) keys.add(data.fileOf(s.chunk()) + ":" + data.chunkIndexOf(s.chunk()));
        return keys;
    }

    private static String ms(double nanos) {
        double millis = nanos / 1e6;
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }
}
