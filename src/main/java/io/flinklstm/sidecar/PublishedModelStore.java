package io.flinklstm.sidecar;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last model this sidecar published, kept on local disk, so a restarted sidecar warm-starts
 * from it and continues the version sequence instead of reusing a number.
 *
 * <p>A file that cannot be read is an error, not an empty store: starting over from version 1 would
 * publish versions the job refuses as stale.
 */
final class PublishedModelStore {
  private final Path file;

  PublishedModelStore(Path dir, String modelName) {
    this.file = dir.resolve(URLEncoder.encode(modelName, StandardCharsets.UTF_8) + ".flstm");
  }

  Path file() {
    return file;
  }

  Optional<SequenceModel> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ModelFile.readAny(Files.readAllBytes(file), ModelFile.ReadOptions.acceptUnsigned()));
    } catch (IOException e) {
      throw new IOException(
          "the last published model " + file + " cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** Replaces the stored file atomically: a crash leaves the old file or the new one. */
  void save(byte[] modelFile) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, modelFile);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
