package io.flinklstm.job;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where a started job takes its state from ({@code --restore}): a savepoint or a retained
 * checkpoint as given, or {@value #LATEST}, the newest complete checkpoint that an earlier run left
 * under the checkpoint directory. A checkpoint is complete when its {@code chk-<n>} directory holds
 * {@code _metadata}, which Flink writes last; the directory is read through Flink's file systems,
 * so it may be local, s3:// or hdfs://.
 */
final class Restore {
  static final String LATEST = "latest";

  private Restore() {}

  /**
   * The savepoint or checkpoint to restore from for {@code --restore}'s value, or null to start
   * with no state.
   *
   * @throws IllegalArgumentException for {@value #LATEST} when no run left a complete checkpoint
   */
  static String resolve(String restore, String checkpointDir) throws IOException {
    if (restore == null || restore.isBlank()) {
      return null;
    }
    if (!LATEST.equals(restore)) {
      return restore;
    }
    return latestCheckpoint(checkpointDir)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--restore latest: no complete checkpoint under "
                        + checkpointDir
                        + " (a chk-<n> directory holding _metadata); start without --restore, or"
                        + " name a savepoint or checkpoint"));
  }

  /**
   * The newest complete checkpoint under {@code checkpointDir} ({@code <job id>/chk-<n>}), of any
   * earlier job: newest by the time its {@code _metadata} was written, then by its number.
   */
  static Optional<String> latestCheckpoint(String checkpointDir) throws IOException {
    Path root = new Path(checkpointDir);
    FileSystem fs = root.getFileSystem();
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    Path best = null;
    long bestTime = Long.MIN_VALUE;
    long bestNumber = Long.MIN_VALUE;
    for (FileStatus job : listed(fs, root)) {
      if (!job.isDir()) {
        continue;
      }
      for (FileStatus checkpoint : listed(fs, job.getPath())) {
        long number = checkpointNumber(checkpoint);
        Path metadata = new Path(checkpoint.getPath(), "_metadata");
        if (number < 0 || !fs.exists(metadata)) {
          continue;
        }
        long time = fs.getFileStatus(metadata).getModificationTime();
        if (time > bestTime || (time == bestTime && number > bestNumber)) {
          best = checkpoint.getPath();
          bestTime = time;
          bestNumber = number;
        }
      }
    }
    return Optional.ofNullable(best).map(Path::toString);
  }

  /** The n of a {@code chk-<n>} directory; -1 for anything else. */
  private static long checkpointNumber(FileStatus status) {
    String name = status.getPath().getName();
    if (!status.isDir() || !name.matches("chk-\\d{1,18}")) {
      return -1;
    }
    return Long.parseLong(name.substring(4));
  }

  private static FileStatus[] listed(FileSystem fs, Path dir) throws IOException {
    FileStatus[] listed = fs.listStatus(dir);
    return listed == null ? new FileStatus[0] : listed;
  }
}
