package io.catchment.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    private final MasterKeys keys = MasterKeys.generate("k1");
    private final SecretBox box = new SecretBox(keys);

    @Test
    void sealsAndOpensWithoutShowingThePlaintext() throws Exception {
        String sealed = box.seal("sk-very-secret-key", "model-credentials:1:OPENAI");

        assertThat(sealed).startsWith("v1.k1.").doesNotContain("secret");
        assertThat(box.open(sealed, "model-credentials:1:OPENAI")).isEqualTo("sk-very-secret-key");
        assertThat(box.seal("sk-very-secret-key", "model-credentials:1:OPENAI")).as("fresh nonce").isNotEqualTo(sealed);
    }

    @Test
    void aSealedValueOnlyOpensInItsOwnContext() {
        String sealed = box.seal("token", "model-credentials:1:OPENAI");

        assertThatThrownBy(() -> box.open(sealed, "model-credentials:2:OPENAI"))
                .isInstanceOf(SecretBox.SecretException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void tamperingIsDetected() {
        String sealed = box.seal("token", "ctx");
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);

        assertThatThrownBy(() -> box.open(tampered, "ctx")).isInstanceOf(SecretBox.SecretException.class);
        assertThatThrownBy(() -> box.open("plain text", "ctx")).isInstanceOf(SecretBox.SecretException.class)
                .hasMessage("not a sealed secret");
    }

    @Test
    void keysRotate_oldValuesStillOpenAndAreMarkedForResealing() throws Exception {
        MasterKeys old = MasterKeys.generate("old");
        String sealedWithOld = new SecretBox(old).seal("token", "ctx");
        String oldEntry = "old:" + java.util.Base64.getEncoder().encodeToString(((javax.crypto.SecretKey) old.current()).getEncoded());
        MasterKeys rotated = MasterKeys.parse("new:" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n" + oldEntry);
        SecretBox box2 = new SecretBox(rotated);

        assertThat(box2.open(sealedWithOld, "ctx")).isEqualTo("token");
        assertThat(box2.needsResealing(sealedWithOld)).isTrue();
        assertThat(box2.seal("token", "ctx")).startsWith("v1.new.");
        assertThat(rotated.ids()).containsExactly("new", "old");
        assertThatThrownBy(() -> new SecretBox(MasterKeys.generate("other")).open(sealedWithOld, "ctx"))
                .isInstanceOf(SecretBox.SecretException.class).hasMessageContaining("'old'");
    }

    @Test
    void badKeyMaterialIsNamedWithoutBeingEchoed() {
        assertThatThrownBy(() -> MasterKeys.parse("k1:c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 32 bytes").hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> MasterKeys.parse("k1:!!!")).hasMessage("Master key 'k1' is not valid base64");
        assertThatThrownBy(() -> MasterKeys.parse("# only a comment\n")).hasMessage("No master key given");
    }

    @Test
    void aMissingKeyFileIsCreatedOwnerOnlyAndReusedAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/master.key");
        MasterKeys first = MasterKeys.fromFileCreatingIfAbsent(file);
        String sealed = new SecretBox(first).seal("token", "ctx");

        MasterKeys again = MasterKeys.fromFileCreatingIfAbsent(file);
        assertThat(new SecretBox(again).open(sealed, "ctx")).isEqualTo("token");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
