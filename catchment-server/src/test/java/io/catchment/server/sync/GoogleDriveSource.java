package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeGoogleDrive;

/** Google Drive: My Drive's tree; ids survive renames and moves; changes from the changes feed. */
final class GoogleDriveSource extends OAuthSource {
    private final FakeGoogleDrive drive;

    GoogleDriveSource() {
        super(OAuthService.GOOGLE_DRIVE);
        drive = new FakeGoogleDrive(oauth::isValidAccessToken);
        ids.put("", drive.myDriveId());
    }

    FakeGoogleDrive drive() {
        return drive;
    }

    @Override
    protected FakeHttpApi content() {
        return drive;
    }

    @Override
    protected String apiBase() {
        return drive.apiBase().toString();
    }

    @Override
    public void addFolder(String path) {
        ids.put(path, drive.addFolder(ids.get(parentOf(path)), nameOf(path)));
    }

    @Override
    public void addFile(String path, String text) {
        ids.put(path, drive.addFile(ids.get(parentOf(path)), nameOf(path), text));
    }

    @Override
    public void editFile(String path, String text) {
        drive.editContent(ids.get(path), text);
    }

    @Override
    public void moveFile(String from, String to) {
        String id = ids.remove(from);
        drive.move(id, ids.get(parentOf(to)));
        ids.put(to, id);
    }

    @Override
    public void deleteFile(String path) {
        drive.delete(ids.remove(path));
    }
}
