package io.flinklstm.sidecar;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions of a model that a sidecar published, kept as files under its state directory, so
 * that an earlier version's weights can be published again ({@code flink-lstm model rollback}): the
 * models topic is compacted and keeps only each model's newest version.
 *
 * <p>Layout: {@code <state dir>/history/<model name, URL-encoded>/v<version>.flstm}, each file the
 * exact bytes published, the newest {@link #KEEP} versions kept.
 */
public final class ModelHistory {
  /** How many versions are kept; older ones are deleted as new ones are added. */
  public static final int KEEP = 20;

  private static final Pattern FILE = Pattern.compile("v(\\d{1,18})\\.flstm");

  private final Path folder;

  /** The history of {@code modelName} under a sidecar's {@code stateDir}. */
  public ModelHistory(Path stateDir, String modelName) {
    this.folder =
        stateDir.resolve("history").resolve(URLEncoder.encode(modelName, StandardCharsets.UTF_8));
  }

  public Path folder() {
    return folder;
  }

  /**
   * Keeps a published version's file (atomically) and deletes those beyond the newest {@link
   * #KEEP}.
   */
  void add(long version, byte[] modelFile) throws IOException {
    Files.createDirectories(folder);
    Path file = file(version);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, modelFile);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    List<Long> versions = versions();
    for (int i = 0; i < versions.size() - KEEP; i++) {
      Files.deleteIfExists(file(versions.get(i)));
    }
  }

  /** The versions kept, oldest first; none when nothing was published. */
  public List<Long> versions() throws IOException {
    List<Long> versions = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return versions;
    }
    try (Stream<Path> files = Files.list(folder)) {
      files.forEach(
          f -> {
            Matcher m = FILE.matcher(f.getFileName().toString());
            if (m.matches()) {
              versions.add(Long.parseLong(m.group(1)));
            }
          });
    }
    versions.sort(null);
    return versions;
  }

  /** The file published as {@code version}, when it is kept. */
  public Optional<byte[]> read(long version) throws IOException {
    Path file = file(version);
    return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  private Path file(long version) {
    return folder.resolve("v" + version + ".flstm");
  }
}
