package io.flinklstm.job;

import static io.flinklstm.job.BenchSupport.DIM;
import static io.flinklstm.job.BenchSupport.HIDDEN;
import static io.flinklstm.job.BenchSupport.consumer;
import static io.flinklstm.job.BenchSupport.median;
import static io.flinklstm.job.BenchSupport.noOpScoring;
import static io.flinklstm.job.BenchSupport.pct;
import static io.flinklstm.job.BenchSupport.producer;
import static io.flinklstm.job.BenchSupport.publishModel;
import static io.flinklstm.job.BenchSupport.requireAllSent;
import static io.flinklstm.job.BenchSupport.scoringThreadCpuNanos;
import static io.flinklstm.job.BenchSupport.send;
import static io.flinklstm.job.BenchSupport.topics;

import io.flinklstm.job.BenchSupport.Topics;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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

  private static final Duration CHECKPOINT = Duration.ofSeconds(1);

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
    Topics t = topics(bootstrap, noOp ? "noop" : "lstm");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      publishModel(producer, t.models(), model);
      EventCodec codec = new EventCodec();
      for (int i = 0; i < events; i++) {
        send(producer, codec, t.events(), i, KEYS);
      }
      producer.flush();
      requireAllSent();
    }
    JobClient job = start(t, noOp);
    try (KafkaConsumer<byte[], byte[]> scores = consumer(bootstrap, t.scores(), true)) {
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
    Topics t = topics(bootstrap, noOp ? "noop-latency" : "lstm-latency");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      publishModel(producer, t.models(), model);
      producer.flush();
    }
    JobClient job = start(t, noOp);
    int total = (int) (rate * length.toSeconds());
    List<Long> written = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    Thread feeder =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                EventCodec codec = new EventCodec();
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                  long due = start + (long) (i * 1e9 / rate);
                  while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                  }
                  send(producer, codec, t.events(), i, KEYS);
                }
              }
            });
    feeder.start();
    try (KafkaConsumer<byte[], byte[]> scores = consumer(bootstrap, t.scores(), true)) {
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
        BenchSupport.kafkaConfig(bootstrap, t, CHECKPOINT, Duration.ofMinutes(5));
    ScoringConfig config = ScoringConfig.defaults("default");
    ScoringJob.build(env, kafka, noOp ? noOpScoring(config) : new ScoringOperator(config));
    return env.executeAsync("bench-" + (noOp ? "noop" : "lstm"));
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
}
