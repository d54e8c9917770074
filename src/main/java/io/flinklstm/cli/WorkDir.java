package io.flinklstm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a command's broker log, checkpoints and sidecar state go: the directory the user named,
 * kept afterwards, or a temporary one, deleted when the command is done.
 */
final class WorkDir implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private WorkDir(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** {@code given} when not null, else a new temporary directory named after {@code prefix}. */
  static WorkDir of(Path given, String prefix) throws IOException {
    return given != null
        ? new WorkDir(given, false)
        : new WorkDir(Files.createTempDirectory(prefix), true);
  }

  Path path() {
    return path;
  }

  /** Deletes a temporary directory; one left behind when a file cannot be deleted is harmless. */
  @Override
  public void close() {
    if (!temporary || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Left for the system's temporary-file cleaning.
    }
  }
}
