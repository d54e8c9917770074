package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.job.KafkaJobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KafkaOptionsTest {
  /**
   * The job's options as a user gives them: a file, and single properties over it, with a JAAS line
   * that holds '=' and quotes.
   */
  @Test
  void theJobTakesAFileAndSinglePropertiesOverIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\""
            + " password=\"a=b\";";
    JobCommand job = new JobCommand();
    new CommandLine(job)
        .parseArgs(
            "--kafka-properties",
            file.toString(),
            "--kafka-property",
            "sasl.mechanism=SCRAM-SHA-512",
            "--kafka-property",
            "sasl.jaas.config=" + jaas);
    KafkaJobConfig kafka = job.kafkaConfig();
    assertThat(kafka.clientProperties().values())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", jaas);
  }

  @Test
  void aPropertyTheCommandSetsItselfIsNamedAtStartUp() {
    KafkaOptions options = new KafkaOptions();
    new CommandLine(options)
        .parseArgs(
            "--kafka-property", "isolation.level=read_uncommitted", "--kafka-property", "acks=1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    options.clientProperties(new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("flink-lstm: Kafka properties acks, isolation.level are set by flink-lstm");
  }

  @Test
  void aFileThatCannotBeReadIsNamed(@TempDir Path dir) {
    KafkaOptions options = new KafkaOptions();
    Path missing = dir.resolve("missing.properties");
    new CommandLine(options).parseArgs("--kafka-properties", missing.toString());
    assertThatThrownBy(() -> options.clientProperties(System.err))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka-properties " + missing + ": cannot read it");
  }
}
