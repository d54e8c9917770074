package io.flinklstm.cli;

import io.flinklstm.sidecar.ModelTopic;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the models topic is, for the {@code model} commands that read or write it. */
final class ModelsTopicOptions {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--models-topic",
      defaultValue = "models",
      description = "The topic the job reads models from (default: ${DEFAULT-VALUE}).")
  String modelsTopic;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How long to wait for Kafka: to read the topic to its end, and for a publish to commit"
              + " (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin KafkaOptions kafka;

  ModelTopic topic() {
    return new ModelTopic(
        bootstrapServers, modelsTopic, timeout, kafka.clientProperties(System.err));
  }
}
