package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelHistoryTest {
  @TempDir Path dir;

  @Test
  void keepsTheNewestVersionsUnderTheStateDirectory() throws Exception {
    ModelHistory history = new ModelHistory(dir, "pumps/eu");
    assertThat(history.versions()).isEmpty();
    for (long v = 1; v <= ModelHistory.KEEP + 5; v++) {
      history.add(v, new byte[] {(byte) v});
    }
    assertThat(history.versions())
        .containsExactlyElementsOf(
            LongStream.rangeClosed(6, ModelHistory.KEEP + 5).boxed().toList());
    assertThat(history.read(ModelHistory.KEEP + 5)).get().isEqualTo(new byte[] {25});
    assertThat(history.read(5)).isEmpty();
    assertThat(history.folder()).isEqualTo(dir.resolve("history").resolve("pumps%2Feu"));
    // Files that are not versions are left alone and not counted.
    Files.writeString(history.folder().resolve("notes.txt"), "x");
    assertThat(history.versions()).hasSize(ModelHistory.KEEP);
  }
}
