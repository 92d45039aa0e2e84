package io.catchment.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Weighted reciprocal-rank fusion of two ranked lists, the same for every backend. */
public final class Fusion {
    /** The usual RRF constant: damps the difference between the first few ranks. */
    public static final int RANK_CONSTANT = 60;

    private Fusion() {}

    /** Hits present in either list, scored by weighted RRF, best first, at most {@code k}. */
    public static List<ChunkHit> weightedRrf(List<ChunkHit> semantic, List<ChunkHit> keyword, double semanticWeight,
                                             double keywordWeight, int k) {
        Map<String, ChunkHit> hits = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        add(semantic, semanticWeight, hits, scores);
        add(keyword, keywordWeight, hits, scores);
        List<ChunkHit> fused = new ArrayList<>();
        for (var e : hits.entrySet()) {
            ChunkHit h = e.getValue();
            fused.add(new ChunkHit(h.fileId(), h.chunkIndex(), h.text(), h.metadata(), h.vector(), scores.get(e.getKey())));
        }
        fused.sort(Comparator.comparingDouble(ChunkHit::score).reversed()
                .thenComparingLong(ChunkHit::fileId).thenComparingInt(ChunkHit::chunkIndex));
        return fused.size() > k ? List.copyOf(fused.subList(0, k)) : List.copyOf(fused);
    }

    private static void add(List<ChunkHit> ranked, double weight, Map<String, ChunkHit> hits, Map<String, Double> scores) {
        for (int i = 0; i < ranked.size(); i++) {
            ChunkHit h = ranked.get(i);
            String key = h.fileId() + ":" + h.chunkIndex();
            hits.putIfAbsent(key, h);
            scores.merge(key, weight / (RANK_CONSTANT + i + 1), Double::sum);
        }
    }

    /** How many candidates each side fetches before fusing: enough for the fusion to matter. */
    public static int candidates(int k) {
        return Math.max(50, 4 * k);
    }
}
