package io.flinklstm.job;

import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the end-to-end benchmarks share: their topics, clients, events and statistics. */
final class BenchSupport {
  /** Values per event, and hidden size of the benchmarks' model. */
  static final int DIM = 8;

  static final int HIDDEN = 64;

  private static final AtomicLong FAILED_SENDS = new AtomicLong();

  private BenchSupport() {}

  /** The topics of one run. */
  record Topics(String events, String models, String scores, String deadLetters) {
    /** The same topics with another scores topic, for a run that reads events already sent. */
    Topics withScores(String scoresTopic) {
      return new Topics(events, models, scoresTopic, deadLetters);
    }
  }

  /** Creates a run's topics: events and scores with two partitions, the others with one. */
  static Topics topics(String bootstrap, String prefix) throws Exception {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Topics t = new Topics(id + "-events", id + "-models", id + "-scores", id + "-dead");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(t.events, 2, (short) 1),
                  new NewTopic(t.models, 1, (short) 1),
                  new NewTopic(t.scores, 2, (short) 1),
                  new NewTopic(t.deadLetters, 1, (short) 1)))
          .all()
          .get();
    }
    return t;
  }

  /** Creates one more topic of two partitions; returns its name. */
  static String topic(String bootstrap, String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    }
    return name;
  }

  /**
   * The job's Kafka settings for a run on {@code t}: fresh group and transactional ids, the default
   * event limits, no client properties, no feedback topic.
   */
  static KafkaJobConfig kafkaConfig(
      String bootstrap, Topics t, Duration checkpointInterval, Duration transactionTimeout) {
    return new KafkaJobConfig(
        bootstrap,
        t.events(),
        t.models(),
        t.scores(),
        t.deadLetters(),
        "bench-" + UUID.randomUUID(),
        "bench-" + UUID.randomUUID(),
        checkpointInterval,
        transactionTimeout,
        Duration.ofSeconds(1),
        EventCodec.DEFAULT_MAX_BYTES,
        EventCodec.DEFAULT_MAX_VALUES,
        KafkaClientProperties.NONE,
        null);
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Ordered and patient rather than idempotent: on this loaded machine the idempotent producer's
    // sequence bookkeeping broke when batches timed out while a previous job shut down.
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
    p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
    p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A consumer of {@code topic} from its start; {@code committedOnly}: read_committed. */
  static KafkaConsumer<byte[], byte[]> consumer(
      String bootstrap, String topic, boolean committedOnly) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.setProperty(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  /**
   * Event i: key i mod {@code keys}, ts = the time it is sent (for latency), values a smooth
   * series.
   */
  static void send(
      KafkaProducer<byte[], byte[]> producer, EventCodec codec, String topic, int i, int keys) {
    String key = "key-" + (i % keys);
    float[] values = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      values[d] = (float) Math.sin(0.01 * i + d);
    }
    Event e = new Event(key, System.currentTimeMillis(), values, null);
    producer.send(
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(e)),
        (metadata, error) -> {
          if (error != null) {
            FAILED_SENDS.incrementAndGet();
          }
        });
  }

  /** Fails if any event sent so far could not be produced. */
  static void requireAllSent() {
    if (FAILED_SENDS.get() > 0) {
      throw new IllegalStateException(FAILED_SENDS.get() + " events could not be produced");
    }
  }

  static void publishModel(KafkaProducer<byte[], byte[]> producer, String topic, byte[] model) {
    producer.send(new ProducerRecord<>(topic, "default".getBytes(StandardCharsets.UTF_8), model));
  }

  /** CPU time of the running jobs' scoring task threads (the operator and the chained sinks). */
  static long scoringThreadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("LSTM scoring")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The q-quantile of sorted values; -1 for none. */
  static long pct(List<Long> sorted, double q) {
    return sorted.isEmpty()
        ? -1
        : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
  }

  /**
   * The same operator with the LSTM step replaced by nothing. The head still predicts from the
   * key's state (never stepped, so the head's output for a zero state), so that its scores carry as
   * many numbers, with as many digits, as the LSTM's: a prediction of zeros would print as "1.0"
   * and make the ceiling a measure of cheaper text rather than of Flink and Kafka.
   */
  static ScoringOperator noOpScoring(ScoringConfig config) {
    return new ScoringOperator(config, (stepper, states, normalizedInputs, n) -> {});
  }
}
