package io.catchment.search;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;

/**
 * Makes a writer's operations durable, sharing commits between concurrent callers. A commit costs
 * an fsync (tens of milliseconds on ordinary disks), and Lucene commits one at a time; while one
 * runs, other workers' operations pile up, and the next commit covers all of them. A caller whose
 * operation an earlier commit already covered returns without committing again.
 */
final class GroupCommit {
    private final IndexWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Every operation with a sequence number up to this one is in a commit. Guarded by {@link #lock}. */
    private long committedThrough = -1;

    GroupCommit(IndexWriter writer) {
        this.writer = writer;
    }

    /** Returns once the operation numbered {@code sequenceNumber} (as IndexWriter returned it) is committed. */
    void awaitDurable(long sequenceNumber) throws IOException {
        lock.lock();
        try {
            if (committedThrough >= sequenceNumber) return;
            // IndexWriter.commit returns the number of the last operation it includes: all at or below it are in.
            committedThrough = Math.max(committedThrough, writer.commit());
        } finally {
            lock.unlock();
        }
    }
}
