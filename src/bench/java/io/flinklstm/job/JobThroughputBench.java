package io.flinklstm.job;

import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
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
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The end-to-end benchmark of docs/benchmarks.md, section 2: Kafka → job → Kafka on one TaskManager
 * slot, 10,000 keys (or {@code -Dbench.keys}) on the heap (or {@code -Dbench.backend=rocksdb}), H =
 * 64, D = 8, JSON events, exactly-once sinks; and in the same process the same pipeline with the
 * LSTM step replaced by a no-op, the ceiling that Flink and Kafka allow here.
 *
 * <p>Throughput: the events topic is filled first, then the job drains it; the rate is taken from
 * the committed scores between the first and the last observed. Latency: events are produced at a
 * fixed rate and each score's own timestamp (when the sink wrote it) and the time a read_committed
 * consumer saw it are compared with the event's timestamp. Run with {@code scripts/bench-job.sh}.
 */
public final class JobThroughputBench {
  /** Keys the events cycle through: {@code -Dbench.keys}, 10,000 by default. */
  private static final int KEYS = Integer.getInteger("bench.keys", 10_000);

  /**
   * The state backend: {@code -Dbench.backend=hashmap} (the heap, by default) or {@code rocksdb}
   * (embedded RocksDB with incremental checkpoints, its files under the temporary directory).
   */
  private static final String BACKEND = System.getProperty("bench.backend", "hashmap");

  private static final int DIM = 8;
  private static final int HIDDEN = 64;
  private static final Duration CHECKPOINT = Duration.ofSeconds(1);
  private static final AtomicLong FAILED_SENDS = new AtomicLong();

  private final String bootstrap;
  private final byte[] model;

  private JobThroughputBench(String bootstrap) {
    this.bootstrap = bootstrap;
    this.model = ModelFile.write(TestModels.model("default", 1, DIM, HIDDEN, 7));
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    try (KafkaClusterTestKit kafka = KafkaBroker.startSingleNode()) {
      JobThroughputBench bench = new JobThroughputBench(kafka.bootstrapServers());
      List<Double> lstm = new ArrayList<>();
      List<Double> noop = new ArrayList<>();
      List<Double> lstmCpu = new ArrayList<>();
      List<Double> noopCpu = new ArrayList<>();
      // One pair first that counts for nothing: the JIT, the broker and the page cache warm up.
      bench.throughput(true, events);
      bench.throughput(false, events);
      // Alternate which variant goes first, so that drifts in the machine's load favour neither.
      for (int r = 0; r < rounds; r++) {
        for (boolean noOp :
            r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          Run run = bench.throughput(noOp, events);
          (noOp ? noop : lstm).add(run.eventsPerSecond);
          (noOp ? noopCpu : lstmCpu).add(run.scoringCpuMicrosPerEvent);
        }
      }
      double noopMedian = median(noop);
      double lstmMedian = median(lstm);
      System.out.printf(
          "%nthroughput, events/s (%d events, %d keys, %s, H=%d, D=%d, 1 slot)%n",
          events, KEYS, BACKEND, HIDDEN, DIM);
      System.out.printf("  no-op step: %s -> median %.0f%n", noop, noopMedian);
      System.out.printf("  LSTM step:  %s -> median %.0f%n", lstm, lstmMedian);
      System.out.printf("  ratio LSTM / no-op: %.2f%n", lstmMedian / noopMedian);
      // The scoring task's thread is the bottleneck; its CPU time per event depends far less on
      // what else the machine runs than the wall-clock rate does.
      System.out.printf(
          "  CPU of the scoring task per event, us: no-op %s -> median %.2f; LSTM %s -> median %.2f;"
              + " ratio no-op / LSTM: %.2f%n",
          noopCpu, median(noopCpu), lstmCpu, median(lstmCpu), median(noopCpu) / median(lstmCpu));
      for (boolean noOp : new boolean[] {true, false}) {
        bench.latency(noOp, rate, Duration.ofSeconds(20));
      }
      System.out.printf(
          "%nstate per key (H=%d, D=%d, rewarm window 16): %d bytes serialised%n",
          HIDDEN, DIM, stateBytes());
    }
  }

  /** Committed scores per second, and the CPU time the scoring task's thread spent per event. */
  private record Run(double eventsPerSecond, double scoringCpuMicrosPerEvent) {}

  /** Drains a pre-filled topic. */
  private Run throughput(boolean noOp, int events) throws Exception {
    Topics t = topics(noOp ? "noop" : "lstm");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      publishModel(producer, t);
      EventCodec codec = new EventCodec();
      for (int i = 0; i < events; i++) {
        send(producer, codec, t.events, i);
      }
      producer.flush();
      if (FAILED_SENDS.get() > 0) {
        throw new IllegalStateException(FAILED_SENDS.get() + " events could not be produced");
      }
    }
    JobClient job = start(t, noOp);
    try (KafkaConsumer<byte[], byte[]> scores = consumer(t.scores, true)) {
      long first = 0;
      long firstCount = 0;
      long seen = 0;
      long last = 0;
      long bytes = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (seen < events) {
        requireRunning(job);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen + " of " + events + " scores in 10 min");
        }
        ConsumerRecords<byte[], byte[]> polled = scores.poll(Duration.ofMillis(100));
        int n = polled.count();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          bytes += r.value().length;
        }
        if (n > 0) {
          long now = System.nanoTime();
          if (first == 0) {
            first = now;
            firstCount = n;
          }
          seen += n;
          last = now;
        }
      }
      double rate = (seen - firstCount) / ((last - first) / 1e9);
      double cpu = scoringThreadCpuNanos() / 1e3 / seen;
      // The no-op's scores must be as long as the LSTM's, or the ceiling measures cheaper text.
      System.out.printf(
          "%s: %d scores (%.1f bytes each), %.0f events/s, scoring task CPU %.2f us/event%n",
          noOp ? "no-op" : "LSTM", seen, (double) bytes / seen, rate, cpu);
      return new Run(rate, cpu);
    } finally {
      job.cancel().get();
    }
  }

  /** Produces at a fixed rate and prints latency percentiles. */
  private void latency(boolean noOp, int rate, Duration length) throws Exception {
    Topics t = topics(noOp ? "noop-latency" : "lstm-latency");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      publishModel(producer, t);
      producer.flush();
    }
    JobClient job = start(t, noOp);
    int total = (int) (rate * length.toSeconds());
    List<Long> written = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    Thread feeder =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer = producer()) {
                EventCodec codec = new EventCodec();
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                  long due = start + (long) (i * 1e9 / rate);
                  while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                  }
                  send(producer, codec, t.events, i);
                }
              }
            });
    feeder.start();
    try (KafkaConsumer<byte[], byte[]> scores = consumer(t.scores, true)) {
      int seen = 0;
      long deadline = System.nanoTime() + length.plusSeconds(60).toNanos();
      while (seen < total && System.nanoTime() < deadline) {
        requireRunning(job);
        for (ConsumerRecord<byte[], byte[]> r : scores.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          ScoreRecord s = WireJson.decodeScore(r.value());
          long produced = s.ts; // the event's ts is its production time, see send()
          written.add(r.timestamp() - produced);
          committed.add(now - produced);
          seen++;
        }
      }
    } finally {
      feeder.join();
      job.cancel().get();
    }
    Collections.sort(written);
    Collections.sort(committed);
    System.out.printf(
        "%s latency at %d events/s (%d scores): written p50 %d ms, p99 %d ms; committed p50 %d ms, p99 %d ms (checkpoint every %d ms)%n",
        noOp ? "no-op" : "LSTM",
        rate,
        written.size(),
        pct(written, 0.5),
        pct(written, 0.99),
        pct(committed, 0.5),
        pct(committed, 0.99),
        CHECKPOINT.toMillis());
  }

  /** CPU time of the running job's scoring task thread (the operator and the chained sinks). */
  private static long scoringThreadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("LSTM scoring")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static void requireRunning(JobClient job) throws Exception {
    org.apache.flink.api.common.JobStatus status = job.getJobStatus().get();
    if (status.isGloballyTerminalState()) {
      job.getJobExecutionResult().get(); // throws the job's failure
      throw new IllegalStateException("the job ended: " + status);
    }
  }

  private JobClient start(Topics t, boolean noOp) throws Exception {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        java.nio.file.Files.createTempDirectory("bench-checkpoints").toUri().toString());
    conf.set(StateBackendOptions.STATE_BACKEND, BACKEND);
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, BACKEND.equals("rocksdb"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    env.enableCheckpointing(CHECKPOINT.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    KafkaJobConfig kafka =
        new KafkaJobConfig(
            bootstrap,
            t.events,
            t.models,
            t.scores,
            t.deadLetters,
            "bench-" + UUID.randomUUID(),
            "bench-" + UUID.randomUUID(),
            CHECKPOINT,
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            EventCodec.DEFAULT_MAX_BYTES,
            EventCodec.DEFAULT_MAX_VALUES,
            KafkaClientProperties.NONE,
            null);
    ScoringConfig config = ScoringConfig.defaults("default");
    ScoringJob.build(env, kafka, noOp ? noOpScoring(config) : new ScoringOperator(config));
    return env.executeAsync("bench-" + (noOp ? "noop" : "lstm"));
  }

  /**
   * Event i: key i mod the keys, ts = the time it is sent (for latency), values a smooth series.
   */
  private static void send(
      KafkaProducer<byte[], byte[]> producer, EventCodec codec, String topic, int i) {
    String key = "key-" + (i % KEYS);
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

  private void publishModel(KafkaProducer<byte[], byte[]> producer, Topics t) {
    producer.send(
        new ProducerRecord<>(t.models, "default".getBytes(StandardCharsets.UTF_8), model));
  }

  private record Topics(String events, String models, String scores, String deadLetters) {}

  private Topics topics(String prefix) throws Exception {
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

  private KafkaProducer<byte[], byte[]> producer() {
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

  private KafkaConsumer<byte[], byte[]> consumer(String topic, boolean committedOnly) {
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

  /** The serialised size of a key's state after 16 events, as checkpoints store it. */
  private static int stateBytes() throws Exception {
    KeyState s = new KeyState();
    s.model = "default";
    s.modelVersion = 1;
    s.shapeFor(HIDDEN, DIM, ScoringConfig.defaults("default").rewarmWindow());
    for (int i = 0; i < 16; i++) {
      s.remember(new float[DIM], 1_767_225_600_000L + 60_000L * i);
    }
    DataOutputSerializer out = new DataOutputSerializer(4096);
    KeyStateSerializer.INSTANCE.serialize(s, out);
    return out.length();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static long pct(List<Long> sorted, double q) {
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
