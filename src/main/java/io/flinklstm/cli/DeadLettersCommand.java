package io.flinklstm.cli;

import io.flinklstm.wire.KafkaClientProperties;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flink-lstm dead-letters ...}: what to do with the events the job refused. */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = "Work with the dead-letter topic: send refused events back to be scored.",
    subcommands = {DeadLettersCommand.Redrive.class})
final class DeadLettersCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code flink-lstm dead-letters redrive}. */
  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description =
          "Send the original events of dead letters back to the events topic, exactly once per"
              + " dead letter: each batch goes in a Kafka transaction that also moves a consumer"
              + " group past it. A run reads from the group's position to the topic's current end;"
              + " dead letters the filters do not select are passed over, so select again among"
              + " them with another --group-id.")
  static final class Redrive implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--bootstrap-servers",
        defaultValue = "localhost:9092",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
        names = "--dead-letters-topic",
        defaultValue = "dead-letters",
        description = "Where the job writes dead letters (default: ${DEFAULT-VALUE}).")
    String deadLettersTopic;

    @Option(
        names = "--events-topic",
        defaultValue = "events",
        description =
            "The job's events topic: dead letters read from it are sent back to it; others (bad"
                + " models) are passed over (default: ${DEFAULT-VALUE}).")
    String eventsTopic;

    @Option(
        names = "--reason",
        paramLabel = "REASON",
        description =
            "Only dead letters of this reason (repeatable), for example no_model_buffer_full,"
                + " unknown_model, wrong_dimension; default: every reason.")
    List<String> reasons = new ArrayList<>();

    @Option(
        names = "--key",
        paramLabel = "KEY",
        description = "Only dead letters of this entity key (repeatable); default: every key.")
    List<String> keys = new ArrayList<>();

    @Option(
        names = "--since",
        paramLabel = "INSTANT",
        description =
            "Only dead letters refused at or after this time (ISO-8601, 2026-12-01T00:00:00Z).")
    Instant since;

    @Option(
        names = "--until",
        paramLabel = "INSTANT",
        description = "Only dead letters refused before this time (ISO-8601).")
    Instant until;

    @Option(
        names = "--group-id",
        defaultValue = "flink-lstm-redrive",
        description =
            "The consumer group whose position says which dead letters were considered already"
                + " (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
        names = "--transactional-id",
        defaultValue = "flink-lstm-redrive",
        description =
            "The Kafka transactional id of the re-sent batches; a later run with the same id fences"
                + " an unfinished earlier one (default: ${DEFAULT-VALUE}).")
    String transactionalId;

    @Option(
        names = "--dry-run",
        description =
            "Count what would be sent back; send nothing and leave the group where it is.")
    boolean dryRun;

    @Option(
        names = "--timeout",
        defaultValue = "60s",
        converter = DurationConverter.class,
        description = "How long to wait for Kafka at each step (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      if (since != null && until != null && !since.isBefore(until)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--since (" + since + ") must be before --until (" + until + ")");
      }
      KafkaClientProperties properties = kafka.clientProperties(System.err);
      DeadLetterRedrive.Filter filter =
          new DeadLetterRedrive.Filter(
              eventsTopic, Set.copyOf(reasons), Set.copyOf(keys), since, until);
      DeadLetterRedrive.Outcome outcome;
      try (KafkaConsumer<byte[], byte[]> consumer =
              new KafkaConsumer<>(
                  properties.committedReader(
                      bootstrapServers,
                      Map.of(
                          ConsumerConfig.GROUP_ID_CONFIG,
                          groupId,
                          ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                          Long.toString(timeout.toMillis()))),
                  new ByteArrayDeserializer(),
                  new ByteArrayDeserializer());
          KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer(properties)) {
        if (producer != null) {
          producer.initTransactions();
        }
        outcome =
            DeadLetterRedrive.run(consumer, producer, groupId, deadLettersTopic, filter, timeout);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "%s %d of %d dead letters to '%s' (%d passed over, %d unreadable)%s%n",
          dryRun ? "would send back" : "sent back",
          outcome.redriven(),
          outcome.read(),
          eventsTopic,
          outcome.passedOver(),
          outcome.unreadable(),
          dryRun ? "" : "; group '" + groupId + "' is past them");
      out.flush();
      return 0;
    }

    private KafkaProducer<byte[], byte[]> producer(KafkaClientProperties properties) {
      return new KafkaProducer<>(
          properties.transactionalProducer(
              bootstrapServers,
              transactionalId,
              Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()))),
          new ByteArraySerializer(),
          new ByteArraySerializer());
    }
  }
}
