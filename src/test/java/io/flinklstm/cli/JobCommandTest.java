package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobCommandTest {
  /** A URI goes to Flink as it is; a local path, which Flink refuses, as its file:// URI. */
  @Test
  void aCheckpointDirectoryMayBeALocalPath() {
    assertThat(JobCommand.checkpointUri("s3://bucket/checkpoints"))
        .isEqualTo("s3://bucket/checkpoints");
    assertThat(JobCommand.checkpointUri("file:///var/ckpt")).isEqualTo("file:///var/ckpt");
    assertThat(JobCommand.checkpointUri("/var/lib/flink-lstm/ckpt"))
        .isEqualTo("file:///var/lib/flink-lstm/ckpt");
    assertThat(JobCommand.checkpointUri("ckpt"))
        .isEqualTo(Path.of("ckpt").toAbsolutePath().toUri().toString());
    assertThat(JobCommand.checkpointUri(null)).isNull();
    assertThat(JobCommand.checkpointUri(" ")).isNull();
  }
}
