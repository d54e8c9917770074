package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class CliReferenceTest {

  @Test
  void committedReferenceMatchesTheCode() throws IOException {
    String committed = Files.readString(CliReference.FILE, StandardCharsets.UTF_8);
    assertThat(committed)
        .as("docs/cli.md is out of date: run scripts/generate-cli-docs.sh and commit it")
        .isEqualTo(CliReference.render());
  }

  @Test
  void everyCommandIsDocumented() {
    String reference = CliReference.render();
    assertThat(reference)
        .contains("## flink-lstm job\n")
        .contains("## flink-lstm sidecar\n")
        .contains("## flink-lstm train\n")
        .contains("## flink-lstm model import\n")
        .contains("## flink-lstm model run\n")
        .contains("--bootstrap-servers");
  }
}
