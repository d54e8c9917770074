package io.flinklstm.cli;

import io.flinklstm.wire.KafkaClientProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Kafka client properties for every command that talks to Kafka: what a secured cluster needs
 * (SASL, TLS) and any other client setting, for each consumer, producer and admin client the
 * command makes.
 */
final class KafkaOptions {
  @Option(
      names = "--kafka-properties",
      paramLabel = "FILE",
      description =
          "A Java properties file of Kafka client properties (security.protocol, sasl.*, ssl.*,"
              + " ...), as Kafka's own tools take, for every Kafka client of the command.")
  Path file;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client property for every Kafka client of the command, over the file's;"
              + " repeatable. The settings the command needs itself (bootstrap servers, groups,"
              + " transactions, read_committed, serialisers) win over these.")
  Map<String, String> properties = new LinkedHashMap<>();

  /**
   * The file's properties with the single ones over them; names on {@code warnings} the keys the
   * command's own settings replace.
   *
   * @throws IllegalArgumentException naming {@code --kafka-properties} when the file cannot be read
   */
  KafkaClientProperties clientProperties(PrintStream warnings) {
    KafkaClientProperties fromFile = KafkaClientProperties.NONE;
    if (file != null) {
      try {
        fromFile = KafkaClientProperties.read(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("--kafka-properties " + file + ": cannot read it: " + e);
      }
    }
    KafkaClientProperties all = fromFile.with(KafkaClientProperties.of(properties));
    List<String> reserved = all.reservedKeys();
    if (!reserved.isEmpty()) {
      warnings.println(
          "flink-lstm: Kafka properties "
              + String.join(", ", reserved)
              + " are set by flink-lstm where its clients need them; the given values apply"
              + " only to clients that do not set them");
    }
    return all;
  }
}
