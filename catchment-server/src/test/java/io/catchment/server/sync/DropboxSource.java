package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeDropbox;

/** Dropbox: paths are the ids, so a move is a delete plus an add. */
final class DropboxSource extends OAuthSource {
    private final FakeDropbox dropbox;

    DropboxSource() {
        super(OAuthService.DROPBOX);
        dropbox = new FakeDropbox(oauth::isValidAccessToken);
    }

    @Override
    protected FakeHttpApi content() {
        return dropbox;
    }

    @Override
    protected String apiBase() {
        return dropbox.apiBase().toString();
    }

    private static String path(String userPath) {
        return userPath.isEmpty() ? "" : "/" + userPath;
    }

    @Override
    public void addFolder(String path) {
        dropbox.addFolder(path(parentOf(path)), nameOf(path));
    }

    @Override
    public void addFile(String path, String text) {
        dropbox.addFile(path(parentOf(path)), nameOf(path), text);
    }

    @Override
    public void editFile(String path, String text) {
        dropbox.editContent(path(path), text);
    }

    @Override
    public void moveFile(String from, String to) {
        dropbox.move(path(from), path(parentOf(to)));
    }

    @Override
    public void deleteFile(String path) {
        dropbox.delete(path(path));
    }
}
