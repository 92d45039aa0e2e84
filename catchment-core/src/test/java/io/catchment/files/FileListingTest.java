package io.catchment.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Listing a customer's files among another customer's: the pages come in the asked order, and for
 * the indexed orders both databases read the page from an index in order instead of sorting all of
 * the customer's files (the plan is checked with EXPLAIN, not with a timing).
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class FileListingTest {
    private static final int OURS = 2_400;
    private static final int THEIRS = 600;

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    private Database db;
    private FileStore files;
    private long customer;
    private List<StoredFile> ours;

    @BeforeEach
    void fill() {
        MutableClock clock = MutableClock.startingNow();
        db = Database.open(kind.settings(dir));
        files = new FileStore(db, clock);
        long org = new Organizations(db.jdbi(), clock).create("Acme").id();
        customer = new Customers(db.jdbi(), clock).resolve(org, "alice").id();
        long other = new Customers(db.jdbi(), clock).resolve(org, "bob").id();
        Random random = new Random(7);
        ours = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<NewFile> mine = new ArrayList<>();
            List<NewFile> theirs = new ArrayList<>();
            for (int i = 0; i < OURS / 6; i++) mine.add(file(org, customer, "doc-" + random.nextInt(1_000_000) + ".txt"));
            for (int i = 0; i < THEIRS / 6; i++) theirs.add(file(org, other, "doc-" + random.nextInt(1_000_000) + ".txt"));
            ours.addAll(files.createAll(mine, f -> FileStatus.READY));
            files.createAll(theirs, f -> FileStatus.READY);
            clock.advance(Duration.ofSeconds(1));
        }
        if (db.vendor() == DatabaseVendor.POSTGRESQL) db.jdbi().useHandle(h -> h.execute("ANALYZE files"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static NewFile file(long org, long customer, String name) {
        IngestOptions options = new IngestOptions(50, 5, false, false, Optional.empty(), false, false, false,
                OptionalInt.empty(), false, false, MediaType.TEXT, false, false, false, false, OptionalInt.empty());
        return new NewFile(org, customer, OptionalLong.empty(), "LOCAL", "ext-" + name + "-" + System.nanoTime(), Optional.empty(),
                name, OptionalLong.empty(), Optional.of("TXT"), options, Json.object(), Json.object(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static FileQuery query(FileQuery.OrderBy order, SortDirection direction, int limit, int offset) {
        return new FileQuery(FileFilters.NONE, order, direction, new Page(limit, offset, 0));
    }

    @Test
    void pagesComeInTheAskedOrderWithTheCustomersCount() {
        Comparator<StoredFile> byId = Comparator.comparingLong(StoredFile::id);
        var orders = List.of(
                new Object[] {FileQuery.OrderBy.UPDATED_AT, Comparator.comparing(StoredFile::updatedAt).thenComparing(byId)},
                new Object[] {FileQuery.OrderBy.CREATED_AT, Comparator.comparing(StoredFile::createdAt).thenComparing(byId)},
                new Object[] {FileQuery.OrderBy.NAME, Comparator.comparing(StoredFile::name).thenComparing(byId)},
                new Object[] {FileQuery.OrderBy.ID, byId});
        for (Object[] o : orders) {
            FileQuery.OrderBy order = (FileQuery.OrderBy) o[0];
            @SuppressWarnings("unchecked")
            Comparator<StoredFile> ascending = (Comparator<StoredFile>) o[1];
            for (SortDirection direction : SortDirection.values()) {
                Comparator<StoredFile> expected = direction == SortDirection.ASC ? ascending : ascending.reversed();
                List<Long> all = ours.stream().sorted(expected).map(StoredFile::id).toList();
                FilePage page = files.list(customer, query(order, direction, 25, 1_000));
                assertThat(page.count()).isEqualTo(OURS);
                assertThat(page.files()).extracting(StoredFile::id).as("%s %s", order, direction)
                        .containsExactlyElementsOf(all.subList(1_000, 1_025));
            }
        }
    }

    @Test
    void indexedOrdersReadThePageFromAnIndexWithoutSorting() {
        for (FileQuery.OrderBy order : List.of(FileQuery.OrderBy.UPDATED_AT, FileQuery.OrderBy.CREATED_AT,
                FileQuery.OrderBy.NAME, FileQuery.OrderBy.ID)) {
            for (SortDirection direction : SortDirection.values()) {
                FileListingSql.Statement page = FileListingSql.page(db.vendor(), customer, query(order, direction, 10, 0));
                List<String> lines = db.jdbi().withHandle(h -> h.createQuery("EXPLAIN " + page.sql())
                        .bindMap(page.params()).mapTo(String.class).list());
                String plan = String.join("\n", lines);
                if (db.vendor() == DatabaseVendor.POSTGRESQL) {
                    assertThat(plan).as("%s %s:%n%s", order, direction, plan).contains("Index Scan")
                            .doesNotContainPattern("(?m)^\\s*(->\\s*)?(Incremental )?Sort\\b");
                } else {
                    assertThat(plan).as("%s %s:%n%s", order, direction, plan).contains("/* index sorted */");
                }
            }
        }
    }
}
