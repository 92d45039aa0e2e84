package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeGraph;
import java.util.Map;

/**
 * OneDrive (the user's drive) or SharePoint (a site's document library), both over Microsoft
 * Graph: item ids survive renames and moves; changes come from each drive's delta link.
 */
final class GraphSource extends OAuthSource {
    static final String TENANT = "contoso.onmicrosoft.com";

    private final FakeGraph graph;

    GraphSource(OAuthService service) {
        super(service);
        graph = new FakeGraph(TENANT, oauth::isValidAccessToken);
        String drive = service == OAuthService.SHAREPOINT
                ? graph.defaultDriveOf(graph.addSite("team", "Team Site")) : graph.meDriveId();
        ids.put("", drive);
    }

    @Override
    protected Map<String, Object> connectFields() {
        return service == OAuthService.SHAREPOINT ? Map.of("microsoft_tenant", TENANT) : Map.of();
    }

    @Override
    protected FakeHttpApi content() {
        return graph;
    }

    @Override
    protected String apiBase() {
        return graph.apiBase();
    }

    @Override
    public void addFolder(String path) {
        ids.put(path, graph.addFolder(ids.get(parentOf(path)), nameOf(path)));
    }

    @Override
    public void addFile(String path, String text) {
        ids.put(path, graph.addFile(ids.get(parentOf(path)), nameOf(path), text));
    }

    @Override
    public void editFile(String path, String text) {
        graph.editContent(ids.get(path), text);
    }

    @Override
    public void moveFile(String from, String to) {
        String id = ids.remove(from);
        graph.move(id, ids.get(parentOf(to)));
        ids.put(to, id);
    }

    @Override
    public void deleteFile(String path) {
        graph.delete(ids.remove(path));
    }

    @Override
    public long providerRequests() {
        return graph.requests().size() + graph.downloadRequests().size();
    }
}
