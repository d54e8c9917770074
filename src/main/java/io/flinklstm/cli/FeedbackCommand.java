package io.flinklstm.cli;

import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.Verdict;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm feedback}: sends one analyst's verdict on a scored event to the feedback topic,
 * keyed by the event's key, and prints where it went: {@code sent verdict=... key=... ts=...
 * topic=... partition=... offset=...}.
 */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send an analyst's verdict on a flagged event to the feedback topic.",
      "The job (job --feedback-topic) takes a false positive to raise the key's threshold and"
          + " mute the rule that raised the flag for a while; the sidecar (sidecar"
          + " --feedback-topic) lets training learn a false positive's event and never learns a"
          + " confirmed anomaly."
    })
final class FeedbackCommand implements Callable<Integer> {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      description = "The key of the event, as its score names it.")
  String key;

  @Option(
      names = "--ts",
      required = true,
      description = "The time of the event, epoch milliseconds, as its score names it.")
  long ts;

  @Option(
      names = "--verdict",
      required = true,
      paramLabel = "false_positive|confirmed",
      description = "false_positive: the flag was wrong; confirmed: a real anomaly.")
  String verdict;

  @Option(
      names = "--model",
      description = "The model that scored the event; a sidecar of another model ignores it.")
  String model;

  @Option(names = "--note", description = "Free text kept with the verdict.")
  String note;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "feedback",
      description = "The feedback topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() throws Exception {
    Verdict.Kind kind = Verdict.Kind.of(verdict);
    if (kind == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--verdict must be false_positive or confirmed, was '" + verdict + "'");
    }
    Verdict v = new Verdict(key, ts, kind, model, note);
    try {
      // The job reads what this command sends: refuse here what the job would refuse.
      Verdict.parse(null, v.encode());
    } catch (InvalidInputException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, String> settings =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            Long.toString(SEND_TIMEOUT.toMillis()),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            Long.toString(SEND_TIMEOUT.toMillis()),
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            Long.toString(SEND_TIMEOUT.toMillis() / 2));
    PrintWriter out = spec.commandLine().getOut();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(System.err).forClient(settings),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      RecordMetadata sent =
          producer
              .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), v.encode()))
              .get(SEND_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      out.printf(
          "sent verdict=%s key=%s ts=%d topic=%s partition=%d offset=%d%n",
          kind.code(), key, ts, sent.topic(), sent.partition(), sent.offset());
      out.flush();
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "the verdict was not sent to topic '"
              + topic
              + "' at "
              + bootstrapServers
              + ": "
              + cause.getMessage()
              + " (does the topic exist?)",
          cause);
    }
  }
}
