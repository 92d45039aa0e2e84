package io.catchment.server.sync;

import io.catchment.connector.DataSourceType;
import io.catchment.server.ServerConfig;
import io.catchment.server.support.Client;
import io.catchment.server.support.TestServer;
import java.util.List;
import java.util.Map;

/**
 * One source as the end-to-end sync tests see it: its fake(s) over real sockets, how the server is
 * pointed at them, how a user connects, and how the test changes the source behind the server's
 * back. Paths name folders and files as a user would ("Reports/alpha.txt").
 */
interface SourceFixture extends AutoCloseable {
    DataSourceType type();

    /** The server's settings with the fakes' URLs (and OAuth apps) in. */
    ServerConfig configure(ServerConfig config);

    /** Connects as {@code user} (OAuth in a browser, or keys) and returns the data source id. */
    long connect(TestServer server, Client user);

    /** A folder (or prefix) at {@code path}, made in the source. */
    void addFolder(String path);

    void addFile(String path, String text);

    void editFile(String path, String text);

    /** Moves (or, where the source cannot move, renames) a file. */
    void moveFile(String from, String to);

    void deleteFile(String path);

    /**
     * The body that syncs the folder at {@code path} (and everything below it), sent to
     * {@link #syncPath()}: {@code /integrations/files/sync} takes the folder's external id, the
     * object stores take buckets/containers and prefixes. {@code folderExternalId} is what
     * items/list showed for it.
     */
    Map<String, Object> syncFolderBody(long dataSourceId, String folderExternalId, String path);

    default String syncPath() {
        return "/integrations/files/sync";
    }

    /** Requests the fake(s) answered so far (the connector's cost). */
    long providerRequests();

    /** Ignore the requests made so far. */
    void clearRequests();

    /** Container names that are not files or folders the test made (drives, buckets, sites). */
    default List<String> containerNames() {
        return List.of();
    }

    @Override
    void close();
}
