package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedModelStoreTest {
  @TempDir Path dir;

  @Test
  void keepsTheLastSavedModel() throws Exception {
    PublishedModelStore store = new PublishedModelStore(dir, "pumps/eu");
    assertThat(store.load()).isEmpty();
    store.save(ModelFile.write(TestModels.model("pumps/eu", 1, 2, 4, 1)));
    LstmModel v2 = TestModels.model("pumps/eu", 2, 2, 4, 2);
    store.save(ModelFile.write(v2));
    assertThat(store.load()).get().satisfies(m -> assertThat(m.info().version()).isEqualTo(2));
    assertThat(store.file().getParent()).isEqualTo(dir);
    assertThat(Files.list(dir)).hasSize(1);
  }

  @Test
  void anUnreadableFileIsAnErrorNotAFreshStart() throws Exception {
    PublishedModelStore store = new PublishedModelStore(dir, "m");
    Files.write(store.file(), new byte[] {1, 2, 3});
    assertThatThrownBy(store::load)
        .hasMessageContaining("the last published model")
        .hasMessageContaining("cannot be read");
  }
}
