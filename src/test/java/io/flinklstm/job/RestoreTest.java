package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTest {
  @Test
  void latestIsTheNewestCompleteCheckpointOfAnyEarlierJob(@TempDir Path dir) throws IOException {
    checkpoint(dir, "job-a", 7, Instant.parse("2026-12-01T10:00:00Z"));
    Path newest = checkpoint(dir, "job-b", 2, Instant.parse("2026-12-01T11:00:00Z"));
    checkpoint(dir, "job-b", 1, Instant.parse("2026-12-01T10:30:00Z"));
    // Begun but never completed: no _metadata.
    Files.createDirectories(dir.resolve("job-b").resolve("chk-3"));
    Files.createDirectories(dir.resolve("job-b").resolve("shared"));

    assertThat(local(Restore.resolve("latest", dir.toUri().toString()))).isEqualTo(newest);
  }

  @Test
  void onATieTheHigherNumberWins(@TempDir Path dir) throws IOException {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    checkpoint(dir, "job", 4, at);
    Path higher = checkpoint(dir, "job", 5, at);
    assertThat(Restore.latestCheckpoint(dir.toString()).map(RestoreTest::local)).contains(higher);
  }

  @Test
  void latestWithoutACompleteCheckpointFailsNamingTheOptionAndTheDirectory(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("job").resolve("chk-1"));
    String uri = dir.toUri().toString();
    assertThatThrownBy(() -> Restore.resolve("latest", uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--restore latest")
        .hasMessageContaining(uri);
    assertThatThrownBy(() -> Restore.resolve("latest", dir.resolve("missing").toString()))
        .hasMessageContaining("no complete checkpoint");
  }

  @Test
  void aGivenPathIsTakenAsItIsAndNoneMeansNoRestore() throws IOException {
    assertThat(Restore.resolve("s3://bucket/savepoints/savepoint-1", "unused"))
        .isEqualTo("s3://bucket/savepoints/savepoint-1");
    assertThat(Restore.resolve(null, "unused")).isNull();
    assertThat(Restore.resolve(" ", "unused")).isNull();
  }

  /** A local path as Flink writes it ({@code file:/...}) or as it was given (no scheme). */
  private static Path local(String path) {
    return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
  }

  private static Path checkpoint(Path dir, String job, int n, Instant written) throws IOException {
    Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
    Path metadata = Files.write(chk.resolve("_metadata"), new byte[] {1});
    Files.setLastModifiedTime(metadata, FileTime.from(written));
    return chk;
  }
}
