package io.catchment.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void anOperationAnEarlierCommitCoveredIsNotCommittedAgain() throws IOException {
        try (Directory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            GroupCommit commits = new GroupCommit(writer);
            long first = writer.addDocument(ChunkDocuments.toDocument(Chunks.of(1, "a", 1).getFirst()));
            long second = writer.addDocument(ChunkDocuments.toDocument(Chunks.of(2, "a", 1).getFirst()));

            commits.awaitDurable(second);
            long generation = SegmentInfos.getLastCommitGeneration(directory);
            commits.awaitDurable(first); // covered by the commit made for the second
            assertThat(SegmentInfos.getLastCommitGeneration(directory)).isEqualTo(generation);
            assertThat(committedDocs(directory)).isEqualTo(2);

            long third = writer.addDocument(ChunkDocuments.toDocument(Chunks.of(3, "a", 1).getFirst()));
            commits.awaitDurable(third);
            assertThat(SegmentInfos.getLastCommitGeneration(directory)).isGreaterThan(generation);
            assertThat(committedDocs(directory)).isEqualTo(3);
        }
    }

    private static int committedDocs(Directory directory) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.numDocs();
        }
    }
}
