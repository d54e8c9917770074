package io.flinklstm.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Work directories of tests that run processes: made empty at the start, kept after for logs. */
public final class Directories {
  private Directories() {}

  /** Deletes {@code dir} with everything in it, if it exists, and creates it empty. */
  public static Path recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths
            .sorted(Comparator.reverseOrder())
            .forEach(
                p -> {
                  try {
                    Files.delete(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
    return Files.createDirectories(dir);
  }
}
