package io.catchment.files;

import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Aggregates over READY files, per customer or per organization (plain GROUP BY queries). */
public final class UsageStore {
    private final Jdbi jdbi;

    public UsageStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Usage ofCustomer(long customerId) {
        return usage("customer_id", customerId);
    }

    public Usage ofOrganization(long organizationId) {
        return usage("organization_id", organizationId);
    }

    private Usage usage(String owner, long id) {
        String ready = " FROM files WHERE " + owner + " = :id AND sync_status = 'READY'";
        return jdbi.withHandle(h -> {
            Map<String, Long> size = new TreeMap<>();
            Map<String, Long> chars = new TreeMap<>();
            Map<String, Long> tokens = new TreeMap<>();
            Map<String, Long> embeddings = new TreeMap<>();
            Map<String, Long> files = new TreeMap<>();
            h.createQuery("""
                            SELECT source, COUNT(*) AS n, COALESCE(SUM(file_size), 0) AS size,
                                   COALESCE(SUM(num_characters), 0) AS chars, COALESCE(SUM(num_tokens), 0) AS tokens,
                                   COALESCE(SUM(num_embeddings), 0) AS embeddings""" + ready + " GROUP BY source")
                    .bind("id", id)
                    .map((rs, ctx) -> {
                        String source = rs.getString("source");
                        files.put(source, rs.getLong("n"));
                        size.put(source, rs.getLong("size"));
                        chars.put(source, rs.getLong("chars"));
                        tokens.put(source, rs.getLong("tokens"));
                        embeddings.put(source, rs.getLong("embeddings"));
                        return source;
                    }).list();
            Map<String, Long> formats = byFormat(h, ready, id);
            long total = files.values().stream().mapToLong(Long::longValue).sum();
            return new Usage(total, sum(chars), sum(tokens), size, chars, tokens, embeddings, files, formats);
        });
    }

    private static Map<String, Long> byFormat(Handle h, String ready, long id) {
        Map<String, Long> formats = new TreeMap<>();
        h.createQuery("SELECT file_format, COUNT(*) AS n" + ready + " AND file_format IS NOT NULL GROUP BY file_format")
                .bind("id", id).map((rs, ctx) -> formats.put(rs.getString(1), rs.getLong(2))).list();
        return formats;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
