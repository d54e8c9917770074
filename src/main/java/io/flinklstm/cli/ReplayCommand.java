package io.flinklstm.cli;

import io.flinklstm.local.Replay;
import io.flinklstm.local.ReplayOrder;
import io.flinklstm.local.TimedCsv;
import io.flinklstm.local.TimedSeries;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm replay}: a folder of CSV files into the events topic, in time order across
 * keys, paced or as fast as possible. Ends with one status line, {@code replayed events=N keys=K
 * seconds=S}.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replay a folder of CSV files into the events topic, in time order across keys.",
      "Each file is one key: its path below --input without .csv (realTraffic/speed_7578)."
          + " A file starts with a header, 'timestamp,value' (NAB) or 'timestamp,v1,v2,...'"
          + " (multivariate); times are 'yyyy-MM-dd HH:mm:ss' (UTC), ISO-8601 instants or epoch"
          + " milliseconds. Rows go in file order; a row whose time goes back is sent right after"
          + " its predecessor."
    })
final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "Folder of .csv files, searched recursively.")
  Path input;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "events",
      description = "Topic the events go to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "N",
      description = "Events per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--model",
      description = "Model named in every event; none: the job's default model scores them.")
  String model;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description =
          "Partitions of the topic if it must be created; 0 never creates it (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Mixin KafkaOptions kafka;

  /** How long Kafka has to answer the checks before sending. */
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  /** The user's Kafka client properties, read when the command runs. */
  private KafkaClientProperties clientProperties = KafkaClientProperties.NONE;

  @Override
  public Integer call() throws Exception {
    clientProperties = kafka.clientProperties(System.err);
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rate must be 0 or positive, was " + rate);
    }
    if (partitions < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--partitions must not be negative, was " + partitions);
    }
    if (model != null && model.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model must not be blank");
    }
    List<TimedSeries> series = TimedCsv.readFolder(input);
    Replay replay = new Replay(series, ReplayOrder.byTime(series), model);
    prepareTopic();
    PrintWriter out = spec.commandLine().getOut();
    EventCodec codec = new EventCodec();
    AtomicReference<Exception> failed = new AtomicReference<>();
    long started = System.nanoTime();
    long sent;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      sent =
          replay.run(
              rate,
              e ->
                  producer.send(
                      new ProducerRecord<>(
                          topic, e.key.getBytes(StandardCharsets.UTF_8), codec.encode(e)),
                      (metadata, error) -> {
                        if (error != null) {
                          failed.compareAndSet(null, error);
                        }
                      }));
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException(
          "sending to '" + topic + "' failed: " + failed.get().getMessage(), failed.get());
    }
    out.printf(
        Locale.ROOT,
        "replayed events=%d keys=%d seconds=%.1f%n",
        sent,
        series.size(),
        (System.nanoTime() - started) / 1e9);
    out.flush();
    return 0;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = clientProperties.eventProducer(bootstrapServers);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Before anything is sent: Kafka takes the credentials, and the topic exists (or is created, with
   * {@code --partitions}) and may be written; otherwise one line says which, rather than a producer
   * that waits for metadata it will never get.
   */
  private void prepareTopic() throws InterruptedException {
    try (Admin admin =
        Admin.create(
            clientProperties.forClient(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    Long.toString(KAFKA_TIMEOUT.toMillis()))))) {
      try {
        TopicDescription described =
            admin
                .describeTopics(
                    List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .topicNameValues()
                .get(topic)
                .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Set<AclOperation> allowed = described.authorizedOperations();
        if (allowed != null
            && !allowed.contains(AclOperation.WRITE)
            && !allowed.contains(AclOperation.ALL)) {
          throw notAllowed();
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw refused(e.getCause());
        }
        if (partitions == 0) {
          throw new IllegalArgumentException(
              "no such topic on " + bootstrapServers + ": --topic '" + topic + "'");
        }
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw refused(e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within " + KAFKA_TIMEOUT, e);
    }
  }

  private IllegalArgumentException refused(Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return new IllegalArgumentException(
          "Kafka at "
              + bootstrapServers
              + " refused the credentials (--kafka-property, --kafka-properties): "
              + cause.getMessage());
    }
    if (cause instanceof TopicAuthorizationException) {
      return notAllowed();
    }
    return new IllegalArgumentException(
        "cannot use topic '" + topic + "' at " + bootstrapServers + ": " + cause);
  }

  private IllegalArgumentException notAllowed() {
    return new IllegalArgumentException(
        "Kafka at "
            + bootstrapServers
            + " does not allow this principal to write --topic '"
            + topic
            + "' (WRITE)");
  }
}
