package io.catchment.search;

import io.catchment.embed.EmbeddingGenerator;
import java.util.Locale;
import java.util.Optional;

/**
 * One model's partial HNSW expression index on {@code chunk_index} (created by the PostgreSQL V5
 * migration). The planner only uses a partial expression index when the query repeats the indexed
 * expression and implies the predicate, so the SQL fragments here are the migration's, spelled
 * the same way, with the model name and dimension as literals: a parameter would not prove the
 * predicate in a generic (prepared) plan.
 *
 * @param model      the model's wire name (an {@link EmbeddingGenerator} constant, safe to inline)
 * @param dimensions the model's vector length
 * @param type       {@code vector} up to 2000 dimensions (HNSW's limit for it), {@code halfvec}
 *                   above (limit 4000)
 */
record PgHnswIndex(String model, int dimensions, String type) {
    /** HNSW's limit for the {@code vector} type. */
    static final int VECTOR_LIMIT = 2000;
    /** HNSW's limit for {@code halfvec}; above it (SOLAR_1_MINI's 4096) a model has no index. */
    static final int HALFVEC_LIMIT = 4000;

    /** The index serving this model and query dimension, if any (else search is an exact scan). */
    static Optional<PgHnswIndex> of(String model, int dimensions) {
        return EmbeddingGenerator.fromWire(model)
                .filter(generator -> generator.dimensions() == dimensions)
                .flatMap(PgHnswIndex::of);
    }

    static Optional<PgHnswIndex> of(EmbeddingGenerator generator) {
        int d = generator.dimensions();
        if (d > HALFVEC_LIMIT) return Optional.empty();
        return Optional.of(new PgHnswIndex(generator.wireName(), d, d <= VECTOR_LIMIT ? "vector" : "halfvec"));
    }

    String name() {
        return "chunk_index_hnsw_" + model.toLowerCase(Locale.ROOT);
    }

    /** The index predicate, as a query condition. */
    String predicate() {
        return "embedding_model = '" + model + "' AND vector_dims(embedding) = " + dimensions;
    }

    /** The ORDER BY expression the index serves, against the query vector bound as {@code :param}. */
    String distance(String param) {
        String cast = type + "(" + dimensions + ")";
        return "(embedding::" + cast + ") <#> CAST(:" + param + " AS " + cast + ")";
    }
}
