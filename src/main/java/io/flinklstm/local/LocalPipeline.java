package io.flinklstm.local;

import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.sidecar.Learner;
import io.flinklstm.sidecar.SidecarConfig;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole pipeline on one machine: a Kafka broker (embedded, or an external one), the topics, the
 * scoring job on a local Flink cluster, and the training sidecar, all in this JVM; plus a producer
 * of events and read_committed readers of scores and dead letters.
 *
 * <pre>{@code
 * try (LocalPipeline p = LocalPipeline.start(LocalPipelineConfig.builder(dir, 1).build())) {
 *   p.send(new Event("sensor-1", ts, new float[] {v}, null));
 *   p.flush();
 *   List<ScoreRecord> scores = p.pollScores(Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <p>Closing stops everything in reverse order of start: readers and producer, sidecar, job and
 * cluster, broker. A failed start closes what had started. Sending and polling belong to one thread
 * at a time; {@link #progress()} may be read from any.
 */
public final class LocalPipeline implements AutoCloseable {
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(2);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final LocalPipelineConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final EventCodec codec = new EventCodec();
  private final AtomicLong eventsSent = new AtomicLong();
  private final AtomicLong scoresRead = new AtomicLong();
  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong deadLettersRead = new AtomicLong();
  private String bootstrapServers;
  private LocalFlink flink;
  private final Map<String, LocalSidecar> sidecars = new java.util.LinkedHashMap<>();
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> scores;
  private KafkaConsumer<byte[], byte[]> deadLetters;

  private final Learner learner;

  private LocalPipeline(LocalPipelineConfig config, Learner learner) {
    this.config = config;
    this.learner = learner;
  }

  /** Starts broker (unless external), topics, job and sidecar, and opens the readers. */
  public static LocalPipeline start(LocalPipelineConfig config) throws Exception {
    return start(config, null);
  }

  /**
   * As {@link #start(LocalPipelineConfig)}, the sidecar training with {@code learner} (for instance
   * a categorical one) instead of the numeric learner the configuration describes; null for that
   * one.
   */
  public static LocalPipeline start(LocalPipelineConfig config, Learner learner) throws Exception {
    LocalPipeline p = new LocalPipeline(config, learner);
    try {
      p.startAll();
      return p;
    } catch (Exception | Error e) {
      try {
        p.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void startAll() throws Exception {
    Path work = Files.createDirectories(config.workDir());
    if (config.bootstrapServers() == null) {
      EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
      started.push(kafka);
      bootstrapServers = kafka.bootstrapServers();
    } else {
      bootstrapServers = config.bootstrapServers();
    }
    PipelineTopics topics = config.topics();
    topics.create(bootstrapServers, config.kafkaProperties(), config.eventPartitions());
    // Readers start at the topics' current ends, so an external broker's old records stay out.
    scores = reader(topics.scores());
    started.push(scores);
    deadLetters = reader(topics.deadLetters());
    started.push(deadLetters);

    String run = config.runId();
    KafkaJobConfig job =
        new KafkaJobConfig(
            bootstrapServers,
            topics.events(),
            topics.models(),
            topics.scores(),
            topics.deadLetters(),
            "flink-lstm-" + run,
            "flink-lstm-" + run,
            config.checkpointInterval(),
            TRANSACTION_TIMEOUT,
            MAX_RESTART_DELAY,
            EventCodec.DEFAULT_MAX_BYTES,
            EventCodec.DEFAULT_MAX_VALUES,
            config.kafkaProperties(),
            null);
    flink =
        LocalFlink.start(
            job,
            config.scoring(),
            config.parallelism(),
            work.resolve("checkpoints").toAbsolutePath(),
            "flink-lstm-local");
    started.push(flink);

    BooleanSupplier roundGate =
        config.holdRoundsUntilScored() ? this::everythingSentIsScored : () -> true;
    List<String> models = config.sidecarModels();
    for (int i = 0; i < models.size(); i++) {
      String suffix = models.size() == 1 ? "" : "-" + i;
      SidecarConfig sidecarConfig =
          new SidecarConfig(
              bootstrapServers,
              topics.events(),
              topics.models(),
              "flink-lstm-sidecar-" + run + suffix,
              models.get(i),
              config.scoring().defaultModel(),
              work.resolve("sidecar-state" + suffix),
              config.trainEveryEvents(),
              config.trainInterval(),
              1,
              "flink-lstm-sidecar-" + run + suffix,
              config.skipFlagged() ? topics.scores() : null,
              SidecarConfig.DEFAULT_REBUILD_EVENTS,
              config.kafkaProperties(),
              null);
      LocalSidecar sidecar =
          learner == null
              ? LocalSidecar.start(sidecarConfig, config, roundGate)
              : LocalSidecar.start(sidecarConfig, learner, roundGate);
      started.push(sidecar);
      sidecars.put(models.get(i), sidecar);
    }

    Properties p = config.kafkaProperties().eventProducer(bootstrapServers);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    started.push(producer);
  }

  private KafkaConsumer<byte[], byte[]> reader(String topic) throws InterruptedException {
    Properties p = config.kafkaProperties().committedReader(bootstrapServers, Map.of());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = partitions(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fixes the start now, before the job writes
    return consumer;
  }

  /**
   * The topic's partitions, once the broker's metadata knows the topic (just created, it may not).
   */
  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) throws InterruptedException {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    while (true) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topic '" + topic + "' has no partitions after " + METADATA_TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  private boolean everythingSentIsScored() {
    return scoresRead.get() + deadLettersRead.get() >= eventsSent.get();
  }

  public LocalPipelineConfig config() {
    return config;
  }

  /** The first sidecar: the one of the job's default model unless told otherwise. */
  public LocalSidecar sidecar() {
    return sidecars.get(config.modelName());
  }

  /** The sidecar that trains {@code model}, or null if none does. */
  public LocalSidecar sidecar(String model) {
    return sidecars.get(model);
  }

  /** Sends an event to the events topic, keyed by its key; events are sent in call order. */
  public void send(Event event) {
    byte[] value = codec.encode(event);
    producer.send(
        new ProducerRecord<>(
            config.topics().events(), event.key.getBytes(StandardCharsets.UTF_8), value));
    eventsSent.incrementAndGet();
  }

  /** Waits until everything sent has been acknowledged by the broker. */
  public void flush() {
    producer.flush();
  }

  /** Committed scores that arrived since the last call, waiting up to {@code timeout} for some. */
  public List<ScoreRecord> pollScores(Duration timeout) {
    List<ScoreRecord> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : scores.poll(timeout)) {
      ScoreRecord s = decode(() -> WireJson.decodeScore(r.value()));
      out.add(s);
      if (s.anomaly) {
        anomalies.incrementAndGet();
      }
    }
    scoresRead.addAndGet(out.size());
    return out;
  }

  /** Committed dead letters that arrived since the last call. */
  public List<DeadLetter> pollDeadLetters(Duration timeout) {
    List<DeadLetter> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : deadLetters.poll(timeout)) {
      out.add(decode(() -> WireJson.decodeDeadLetter(r.value())));
    }
    deadLettersRead.addAndGet(out.size());
    return out;
  }

  /** The version of the first sidecar's model each scoring subtask serves, by subtask index. */
  public Map<Integer, Long> servedVersions() throws IOException, InterruptedException {
    return flink.servedVersions(config.modelName());
  }

  /**
   * Whether every one of the job's subtasks serves {@code version} of the first sidecar's model.
   */
  public boolean allSubtasksServe(long version) throws IOException, InterruptedException {
    return allSubtasksServe(config.modelName(), version);
  }

  /** Whether every one of the job's subtasks serves {@code version} of {@code model}. */
  public boolean allSubtasksServe(String model, long version)
      throws IOException, InterruptedException {
    Map<Integer, Long> served = flink.servedVersions(model);
    return served.size() == config.parallelism()
        && served.values().stream().allMatch(v -> v == version);
  }

  public Progress progress() {
    LocalSidecar sidecar = sidecar();
    var model = sidecar == null ? null : sidecar.current();
    return new Progress(
        eventsSent.get(),
        scoresRead.get(),
        anomalies.get(),
        deadLettersRead.get(),
        sidecar == null ? 0 : sidecar.rounds().size(),
        model == null ? 0 : model.info().version());
  }

  private interface Decoder<T> {
    T decode() throws IOException;
  }

  private static <T> T decode(Decoder<T> decoder) {
    try {
      return decoder.decode();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a record the job wrote", e);
    }
  }

  /** Stops everything started, newest first; the first failure is thrown after all were tried. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
