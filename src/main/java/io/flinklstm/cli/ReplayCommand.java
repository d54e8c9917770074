package io.flinklstm.cli;

import io.flinklstm.local.Replay;
import io.flinklstm.local.ReplayOrder;
import io.flinklstm.local.TimedCsv;
import io.flinklstm.local.TimedSeries;
import io.flinklstm.wire.EventCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  @Override
  public Integer call() throws Exception {
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
    if (partitions > 0) {
      createTopicIfMissing();
    }
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
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void createTopicIfMissing() throws InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic '" + topic + "' at " + bootstrapServers + ": " + e.getCause(),
            e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within 60 s", e);
    }
  }
}
