package io.catchment.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/** Reads chunks back out of one searcher (one point in time): stored fields plus the vector. */
final class StoredChunks {
    private StoredChunks() {}

    static Query fileQuery(long fileId) {
        return new TermQuery(ChunkDocuments.fileTerm(fileId));
    }

    /** The file's chunks ordered by chunk index. */
    static List<IndexedChunk> ofFile(IndexSearcher searcher, long fileId) throws IOException {
        Query query = fileQuery(fileId);
        ScoreDoc[] hits = searcher.search(query, Math.max(1, searcher.count(query))).scoreDocs;
        StoredFields stored = searcher.storedFields();
        List<IndexedChunk> chunks = new ArrayList<>(hits.length);
        for (ScoreDoc hit : hits) chunks.add(chunk(searcher, stored, hit.doc));
        chunks.sort(Comparator.comparingInt(IndexedChunk::chunkIndex));
        return chunks;
    }

    static IndexedChunk chunk(IndexSearcher searcher, StoredFields stored, int docId) throws IOException {
        Document doc = stored.document(docId);
        Optional<String> field = ChunkDocuments.vectorField(doc);
        Optional<float[]> vector = field.isPresent() ? Optional.of(vectorOf(searcher, docId, field.get())) : Optional.empty();
        return ChunkDocuments.fromStored(doc, vector);
    }

    /**
     * Reads a document's vector from the segment holding it rather than keeping a second, stored
     * copy. The returned array is a copy: Lucene reuses its buffer.
     */
    private static float[] vectorOf(IndexSearcher searcher, int docId, String field) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        int target = docId - leaf.docBase;
        KnnVectorValues.DocIndexIterator iterator = values == null ? null : values.iterator();
        if (iterator == null || iterator.advance(target) != target) {
            throw new IllegalStateException("Document " + docId + " names vector field " + field + " but has no vector in it");
        }
        return values.vectorValue(iterator.index()).clone();
    }
}
