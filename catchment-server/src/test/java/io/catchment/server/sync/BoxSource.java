package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeBox;

/** Box: numeric ids that survive renames and moves; changes come from the events stream. */
final class BoxSource extends OAuthSource {
    private final FakeBox box;

    BoxSource() {
        super(OAuthService.BOX);
        box = new FakeBox(oauth::isValidAccessToken);
        ids.put("", FakeBox.ROOT);
    }

    @Override
    protected FakeHttpApi content() {
        return box;
    }

    @Override
    protected String apiBase() {
        return box.apiBase().toString();
    }

    @Override
    public void addFolder(String path) {
        ids.put(path, box.addFolder(ids.get(parentOf(path)), nameOf(path)));
    }

    @Override
    public void addFile(String path, String text) {
        ids.put(path, box.addFile(ids.get(parentOf(path)), nameOf(path), text));
    }

    @Override
    public void editFile(String path, String text) {
        box.editContent(ids.get(path), text);
    }

    @Override
    public void moveFile(String from, String to) {
        String id = ids.remove(from);
        box.move(id, ids.get(parentOf(to)));
        ids.put(to, id);
    }

    @Override
    public void deleteFile(String path) {
        box.delete(ids.remove(path));
    }
}
