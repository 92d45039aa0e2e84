package io.catchment.search;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's default codec with the vector dimension limit raised from 1024 to 4096, so that
 * remote models (OpenAI 1536 and 3072, Cohere 1024, …) can be indexed.
 *
 * <p>Only the writer needs this: the on-disk format is the default one under its default name,
 * so readers (and Lucene's SPI) open the index with the stock codec. Upgrading Lucene means
 * replacing {@code Lucene104Codec} with the new default codec class here.
 */
final class WideVectorCodec extends Lucene104Codec {
    static final int MAX_DIMENSIONS = 4096;

    private final KnnVectorsFormat vectors = new WideVectorsFormat(new Lucene99HnswVectorsFormat());

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
    }

    /** The HNSW format under its own name (so it reads back without us), with a higher limit. */
    private static final class WideVectorsFormat extends KnnVectorsFormat {
        private final KnnVectorsFormat delegate;

        WideVectorsFormat(KnnVectorsFormat delegate) {
            super(delegate.getName());
            this.delegate = delegate;
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }
    }
}
