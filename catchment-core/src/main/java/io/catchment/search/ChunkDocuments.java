package io.catchment.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.catchment.json.Json;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;

/** Converts chunks to Lucene documents and stored fields back to chunks (schema in {@link ChunkFields}). */
final class ChunkDocuments {
    private static final TypeReference<Map<String, Object>> METADATA_TYPE = new TypeReference<>() {};

    private ChunkDocuments() {}

    static Term fileTerm(long fileId) {
        return new Term(ChunkFields.FILE_ID_TERM, Long.toString(fileId));
    }

    static Document toDocument(IndexedChunk chunk) {
        Objects.requireNonNull(chunk.text(), "chunk text");
        Document doc = new Document();
        doc.add(new StringField(ChunkFields.FILE_ID_TERM, Long.toString(chunk.fileId()), Field.Store.NO));
        doc.add(new LongField(ChunkFields.FILE_ID, chunk.fileId(), Field.Store.YES));
        doc.add(new LongField(ChunkFields.ORGANIZATION_ID, chunk.organizationId(), Field.Store.YES));
        doc.add(new LongField(ChunkFields.CUSTOMER_ID, chunk.customerId(), Field.Store.YES));
        doc.add(new IntField(ChunkFields.CHUNK_INDEX, chunk.chunkIndex(), Field.Store.YES));
        doc.add(new TextField(ChunkFields.CONTENT, chunk.text(), Field.Store.YES));
        doc.add(new StoredField(ChunkFields.METADATA, Json.write(chunk.metadata())));
        chunk.embeddingModel().ifPresent(model ->
                doc.add(new StringField(ChunkFields.EMBEDDING_MODEL, model, Field.Store.YES)));
        chunk.vector().ifPresent(vector -> addVector(doc, chunk, vector));
        return doc;
    }

    private static void addVector(Document doc, IndexedChunk chunk, float[] vector) {
        String model = chunk.embeddingModel().filter(name -> !name.isBlank()).orElseThrow(() ->
                new IllegalArgumentException("Chunk " + chunk.chunkIndex() + " of file " + chunk.fileId()
                        + " has a vector but no embedding model"));
        if (vector.length > WideVectorCodec.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("Vector of " + vector.length + " dimensions exceeds the index limit of "
                    + WideVectorCodec.MAX_DIMENSIONS);
        }
        String field = ChunkFields.vectorField(model, vector.length);
        doc.add(new KnnFloatVectorField(field, UnitVectors.unitLength(vector), ChunkFields.SIMILARITY));
        doc.add(new StoredField(ChunkFields.VECTOR_FIELD, field));
    }

    /** The name of the vector field a stored document's vector lives in, if it has one. */
    static Optional<String> vectorField(Document stored) {
        return Optional.ofNullable(stored.get(ChunkFields.VECTOR_FIELD));
    }

    static IndexedChunk fromStored(Document stored, Optional<float[]> vector) {
        return new IndexedChunk(
                longValue(stored, ChunkFields.ORGANIZATION_ID),
                longValue(stored, ChunkFields.CUSTOMER_ID),
                longValue(stored, ChunkFields.FILE_ID),
                stored.getField(ChunkFields.CHUNK_INDEX).storedValue().getIntValue(),
                stored.get(ChunkFields.CONTENT),
                Optional.ofNullable(stored.get(ChunkFields.EMBEDDING_MODEL)),
                vector,
                readMetadata(stored.get(ChunkFields.METADATA)));
    }

    private static long longValue(Document stored, String field) {
        return stored.getField(field).storedValue().getLongValue();
    }

    private static Map<String, Object> readMetadata(String json) {
        try {
            return Json.mapper().readValue(json, METADATA_TYPE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Stored chunk metadata is not a JSON object", e);
        }
    }
}
