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
import static io.flinklstm.job.BenchSupport.topic;
import static io.flinklstm.job.BenchSupport.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinklstm.job.BenchSupport.Topics;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The cost curve of docs/benchmarks.md (section 2, "The cost curve"): the end-to-end pipeline (JSON
 * events from the embedded broker, exactly-once sinks, H = 64, D = 8, one TaskManager slot) over
 * numbers of keys × state backends × the LSTM step or a no-op one, in one process.
 *
 * <p>For each number of keys the events topic is filled once, {@code --passes} events per key (key
 * i mod the keys, so every pass reads and writes every key's state once), and every run drains it
 * with a fresh job: its rate between the first and the last committed score, and the CPU time of
 * the scoring task per event. Checkpoints are taken every {@code --checkpoint-seconds} (incremental
 * on RocksDB and ForSt); once the topic is drained the run waits for one more and reports its
 * duration and full state size, the longest checkpoint of the run, and the median upload of the
 * checkpoints taken while it scored (after the first, which uploads everything). The last round's
 * run of each step is then cancelled and a new job restored from that checkpoint: the time from its
 * submission to its first score is the restore time, and events produced meanwhile at {@code
 * --rate} per second (cycling through the same keys, so each reads restored state) give the latency
 * percentiles, from the event's production to the sink's write, once the first score has been seen.
 * Run with {@code scripts/bench-scale.sh}.
 */
public final class ScaleBench {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(30);

  /** Latencies are taken from events produced this long after the restored job's first score. */
  private static final long SETTLE_MILLIS = 2_000;

  private final Options options;
  private final String bootstrap;
  private final MiniCluster cluster;
  private final URI rest;
  private final byte[] model;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Path work;
  private boolean warm;

  /** The command line: {@code --keys 10000,100000 --backends hashmap,rocksdb ...}. */
  record Options(
      List<Integer> keys,
      List<String> backends,
      int passes,
      int rounds,
      int rate,
      int latencySeconds,
      int checkpointSeconds,
      MemorySize managedMemory,
      boolean snapshotCompression) {

    static Options parse(String[] args) {
      List<Integer> keys = List.of(10_000, 100_000);
      List<String> backends = List.of("hashmap", "rocksdb");
      int passes = 3;
      int rounds = 2;
      int rate = 5_000;
      int latencySeconds = 20;
      int checkpointSeconds = 10;
      MemorySize managed = MemorySize.parse("1g");
      boolean compression = true;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--keys" -> keys = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
          case "--backends" -> backends = List.of(v.split(","));
          case "--passes" -> passes = Integer.parseInt(v);
          case "--rounds" -> rounds = Integer.parseInt(v);
          case "--rate" -> rate = Integer.parseInt(v);
          case "--latency-seconds" -> latencySeconds = Integer.parseInt(v);
          case "--checkpoint-seconds" -> checkpointSeconds = Integer.parseInt(v);
          case "--managed-memory" -> managed = MemorySize.parse(v);
          case "--snapshot-compression" -> compression = Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("every option takes a value: " + List.of(args));
      }
      for (String b : backends) {
        if (!List.of("hashmap", "rocksdb", "forst").contains(b)) {
          throw new IllegalArgumentException("--backends: hashmap, rocksdb or forst, was " + b);
        }
      }
      return new Options(
          keys,
          backends,
          passes,
          rounds,
          rate,
          latencySeconds,
          checkpointSeconds,
          managed,
          compression);
    }
  }

  private ScaleBench(Options options, String bootstrap, MiniCluster cluster, URI rest, Path work) {
    this.options = options;
    this.bootstrap = bootstrap;
    this.cluster = cluster;
    this.rest = rest;
    this.work = work;
    this.model = ModelFile.write(TestModels.model("default", 1, DIM, HIDDEN, 7));
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path work = Files.createTempDirectory("bench-scale");
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, options.managedMemory());
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
    List<Cell> cells = new ArrayList<>();
    try (KafkaClusterTestKit kafka = KafkaBroker.startSingleNode()) {
      cluster.start();
      URI rest = cluster.getRestAddress().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      ScaleBench bench = new ScaleBench(options, kafka.bootstrapServers(), cluster, rest, work);
      for (int keys : options.keys()) {
        cells.addAll(bench.measure(keys));
      }
    } finally {
      cluster.close();
    }
    System.out.println();
    System.out.println(table(options, cells));
  }

  /** One line of the table: a number of keys, a backend and a step. */
  private record Cell(
      int keys,
      String backend,
      boolean noOp,
      List<Double> rates,
      List<Double> cpus,
      double startSeconds,
      Checkpoint checkpoint,
      Restored restored) {}

  /**
   * The run's last checkpoint (its path, full state size and duration), the longest of the run, and
   * what a checkpoint taken while the run scored uploaded (the median after the first; -1 when it
   * took none).
   */
  private record Checkpoint(
      String path, long stateBytes, long uploadedBytes, double seconds, double maxSeconds) {}

  /** The restored run: its time to a first score, and latencies at the fixed rate. */
  private record Restored(double seconds, long p50, long p99, int scores) {}

  /** Every backend and step for one number of keys, over one filled events topic. */
  private List<Cell> measure(int keys) throws Exception {
    Topics filled = topics(bootstrap, "scale-" + keys);
    int events = keys * options.passes();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      publishModel(producer, filled.models(), model);
      EventCodec codec = new EventCodec();
      for (int i = 0; i < events; i++) {
        send(producer, codec, filled.events(), i, keys);
      }
      producer.flush();
      requireAllSent();
    }
    System.out.printf("%n%d keys: %d events sent%n", keys, events);
    if (!warm) {
      // One pair first that counts for nothing: the JIT, the broker and the page cache warm up.
      warm = true;
      for (boolean noOp : new boolean[] {true, false}) {
        throughput(filled, keys, events, options.backends().get(0), noOp).close();
      }
    }
    List<Cell> out = new ArrayList<>();
    for (String backend : options.backends()) {
      List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> cpus = List.of(new ArrayList<>(), new ArrayList<>());
      Run[] last = new Run[2];
      // Alternate which step goes first, so that drifts in the machine's load favour neither.
      for (int r = 0; r < options.rounds(); r++) {
        for (boolean noOp :
            r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          Run run = throughput(filled, keys, events, backend, noOp);
          int s = noOp ? 1 : 0;
          rates.get(s).add(run.eventsPerSecond);
          cpus.get(s).add(run.cpuMicrosPerEvent);
          if (last[s] != null) {
            last[s].close();
          }
          last[s] = run;
        }
      }
      for (boolean noOp : new boolean[] {false, true}) {
        int s = noOp ? 1 : 0;
        Restored restored = restore(last[s], keys, backend, noOp);
        out.add(
            new Cell(
                keys,
                backend,
                noOp,
                rates.get(s),
                cpus.get(s),
                last[s].startSeconds,
                last[s].checkpoint,
                restored));
      }
    }
    return out;
  }

  /** A drained run, cancelled, whose last checkpoint is kept for a restore. */
  private record Run(
      KafkaJobConfig kafka,
      double eventsPerSecond,
      double cpuMicrosPerEvent,
      double startSeconds,
      Checkpoint checkpoint,
      Path checkpointDir)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      deleteTree(checkpointDir);
    }
  }

  private Run throughput(Topics filled, int keys, int events, String backend, boolean noOp)
      throws Exception {
    Topics t = filled.withScores(topic(bootstrap, "scale-scores"));
    KafkaJobConfig kafka = kafkaConfig(t);
    Path checkpoints = Files.createTempDirectory(work, "checkpoints");
    long submitted = System.nanoTime();
    JobID job = submit(kafka, backend, noOp, checkpoints, null);
    double rate;
    double cpu;
    double startSeconds;
    long drained;
    // Uncommitted: the sink writes each score as it goes, and commits only at checkpoints.
    try (KafkaConsumer<byte[], byte[]> scores = consumer(bootstrap, t.scores(), false)) {
      long first = 0;
      long firstCount = 0;
      long firstCpu = 0;
      long seen = 0;
      long last = 0;
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      while (seen < events) {
        requireRunning(job);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen + " of " + events + " scores");
        }
        int n = scores.poll(Duration.ofMillis(100)).count();
        if (n > 0) {
          long now = System.nanoTime();
          if (first == 0) {
            first = now;
            firstCount = n;
            firstCpu = scoringThreadCpuNanos();
          }
          seen += n;
          last = now;
        }
      }
      rate = (seen - firstCount) / ((last - first) / 1e9);
      cpu = (scoringThreadCpuNanos() - firstCpu) / 1e3 / (seen - firstCount);
      startSeconds = (first - submitted) / 1e9;
      drained = System.currentTimeMillis();
    }
    Checkpoint checkpoint = checkpointAfter(job, drained);
    cancel(job);
    System.out.printf(
        Locale.ROOT,
        "%d keys, %s, %s: first score after %.1f s, %.0f events/s, scoring task CPU %.2f"
            + " us/event; last checkpoint %.1f s (longest %.1f s), state %.1f MB (%.0f bytes/key),"
            + " uploaded per checkpoint %s MB%n",
        keys,
        backend,
        noOp ? "no-op" : "LSTM",
        startSeconds,
        rate,
        cpu,
        checkpoint.seconds,
        checkpoint.maxSeconds,
        checkpoint.stateBytes / 1e6,
        (double) checkpoint.stateBytes / keys,
        megabytes(checkpoint.uploadedBytes));
    return new Run(kafka, rate, cpu, startSeconds, checkpoint, checkpoints);
  }

  /**
   * Restores a new job from the run's last checkpoint while events come at the fixed rate; the
   * run's checkpoints are deleted after.
   */
  private Restored restore(Run run, int keys, String backend, boolean noOp) throws Exception {
    try (run;
        KafkaConsumer<byte[], byte[]> scores = consumerAtEnd(run.kafka.scoresTopic())) {
      Path checkpoints = Files.createTempDirectory(work, "restored");
      long submitted = System.currentTimeMillis();
      JobID job = submit(run.kafka, backend, noOp, checkpoints, run.checkpoint.path);
      int wanted = options.rate() * options.latencySeconds();
      AtomicBoolean stop = new AtomicBoolean();
      Thread feeder = feeder(run.kafka.eventsTopic(), keys, stop);
      feeder.start();
      long firstScore = 0;
      List<Long> latencies = new ArrayList<>();
      long deadline =
          System.nanoTime() + Duration.ofSeconds(options.latencySeconds() + 300L).toNanos();
      try {
        while (latencies.size() < wanted && System.nanoTime() < deadline) {
          requireRunning(job);
          ConsumerRecords<byte[], byte[]> polled = scores.poll(Duration.ofMillis(20));
          for (ConsumerRecord<byte[], byte[]> r : polled) {
            ScoreRecord s = WireJson.decodeScore(r.value());
            if (s.ts < submitted) {
              continue; // written by the run before the restore, in a transaction it committed late
            }
            if (firstScore == 0) {
              firstScore = r.timestamp();
            }
            if (s.ts >= firstScore + SETTLE_MILLIS) {
              latencies.add(r.timestamp() - s.ts);
            }
          }
        }
      } finally {
        stop.set(true);
        feeder.join();
        cancel(job);
        deleteTree(checkpoints);
      }
      if (firstScore == 0) {
        throw new IllegalStateException("the restored job scored nothing");
      }
      Collections.sort(latencies);
      Restored restored =
          new Restored(
              (firstScore - submitted) / 1e3,
              pct(latencies, 0.5),
              pct(latencies, 0.99),
              latencies.size());
      System.out.printf(
          Locale.ROOT,
          "%d keys, %s, %s: restored in %.1f s; at %d events/s written p50 %d ms, p99 %d ms (%d"
              + " scores)%n",
          keys,
          backend,
          noOp ? "no-op" : "LSTM",
          restored.seconds,
          options.rate(),
          restored.p50,
          restored.p99,
          restored.scores);
      return restored;
    }
  }

  /** Produces events at the fixed rate, cycling through the keys, until stopped. */
  private Thread feeder(String topic, int keys, AtomicBoolean stop) {
    return new Thread(
        () -> {
          try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            EventCodec codec = new EventCodec();
            long start = System.nanoTime();
            for (int i = 0; !stop.get(); i++) {
              long due = start + (long) (i * 1e9 / options.rate());
              while (System.nanoTime() < due) {
                Thread.onSpinWait();
              }
              send(producer, codec, topic, i, keys);
            }
          }
        },
        "latency-feeder");
  }

  private KafkaJobConfig kafkaConfig(Topics t) {
    return BenchSupport.kafkaConfig(
        bootstrap, t, Duration.ofSeconds(options.checkpointSeconds()), Duration.ofMinutes(15));
  }

  private JobID submit(
      KafkaJobConfig kafka, String backend, boolean noOp, Path checkpoints, String restoreFrom)
      throws Exception {
    Configuration conf = ScoringJob.configuration(kafka, checkpoints.toUri().toString());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, options.snapshotCompression());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, !backend.equals("hashmap"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    ScoringConfig config = ScoringConfig.defaults("default");
    ScoringJob.build(env, kafka, noOp ? noOpScoring(config) : new ScoringOperator(config));
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName("scale-" + backend + (noOp ? "-noop" : "-lstm"));
    if (restoreFrom != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
    }
    return cluster.submitJob(graph).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS).getJobID();
  }

  /**
   * Waits for a checkpoint triggered after {@code drained} (epoch ms) to complete: its duration and
   * full state size, the longest duration of the run, and the median upload of the checkpoints
   * taken while the topic was drained after the first (-1 if there were none).
   */
  private Checkpoint checkpointAfter(JobID job, long drained) throws Exception {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      requireRunning(job);
      JsonNode stats = get("/jobs/" + job + "/checkpoints");
      JsonNode latest = stats.path("latest").path("completed");
      if (!latest.isMissingNode()
          && !latest.isNull()
          && latest.path("trigger_timestamp").asLong() > drained) {
        List<Long> uploads = new ArrayList<>();
        long firstId = Long.MAX_VALUE;
        for (JsonNode h : stats.path("history")) {
          if ("COMPLETED".equals(h.path("status").asText())) {
            firstId = Math.min(firstId, h.path("id").asLong());
          }
        }
        for (JsonNode h : stats.path("history")) {
          if ("COMPLETED".equals(h.path("status").asText())
              && h.path("id").asLong() > firstId
              && h.path("trigger_timestamp").asLong() <= drained) {
            uploads.add(h.path("checkpointed_size").asLong());
          }
        }
        Collections.sort(uploads);
        return new Checkpoint(
            latest.path("external_path").asText(),
            latest.path("state_size").asLong(),
            uploads.isEmpty() ? -1 : uploads.get(uploads.size() / 2),
            latest.path("end_to_end_duration").asLong() / 1e3,
            stats.path("summary").path("end_to_end_duration").path("max").asLong() / 1e3);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no checkpoint completed after the topic was drained");
  }

  private void requireRunning(JobID job) throws Exception {
    org.apache.flink.api.common.JobStatus status =
        cluster.getJobStatus(job).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (status.isGloballyTerminalState()) {
      throw new IllegalStateException(
          "the job ended: "
              + status
              + " "
              + cluster
                  .requestJobResult(job)
                  .get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                  .getSerializedThrowable()
                  .map(t -> t.getFullStringifiedStackTrace())
                  .orElse(""));
    }
  }

  private void cancel(JobID job) throws Exception {
    cluster.cancelJob(job).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
    while (!cluster
            .getJobStatus(job)
            .get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .isGloballyTerminalState()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /** A read_uncommitted consumer of every partition of {@code topic}, at its current end. */
  private KafkaConsumer<byte[], byte[]> consumerAtEnd(String topic) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(partitions);
    c.seekToEnd(partitions);
    partitions.forEach(c::position);
    return c;
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(rest.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Bytes in megabytes with one decimal; a dash for none (-1). */
  private static String megabytes(long bytes) {
    return bytes < 0 ? "–" : String.format(Locale.ROOT, "%.1f", bytes / 1e6);
  }

  /** The results as a Markdown table, medians of the rounds, each ratio within its row's run. */
  private static String table(Options options, List<Cell> cells) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "H=%d, D=%d, 1 slot, %d passes over the keys, %d rounds, checkpoints every %d s"
                + " (snapshot compression %s), managed memory %s, latency at %d events/s%n%n",
            HIDDEN,
            DIM,
            options.passes(),
            options.rounds(),
            options.checkpointSeconds(),
            options.snapshotCompression() ? "on" : "off",
            options.managedMemory(),
            options.rate()));
    b.append(
        "| keys | backend | step | events/s | LSTM / no-op | CPU µs/event | checkpoint s (longest)"
            + " | state MB | bytes/key | uploaded MB per checkpoint | start s | restore s | p50 ms"
            + " | p99 ms |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Cell c : cells) {
      double ratio = Double.NaN;
      if (!c.noOp) {
        for (Cell o : cells) {
          if (o.noOp && o.keys == c.keys && o.backend.equals(c.backend)) {
            ratio = median(c.rates) / median(o.rates);
          }
        }
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %s | %,.0f | %s | %.2f | %.1f (%.1f) | %.1f | %.0f | %s | %.1f | %.1f |"
                  + " %d | %d |%n",
              c.keys,
              c.backend,
              c.noOp ? "no-op" : "LSTM",
              median(c.rates),
              c.noOp ? "" : String.format(Locale.ROOT, "%.2f", ratio),
              median(c.cpus),
              c.checkpoint.seconds,
              c.checkpoint.maxSeconds,
              c.checkpoint.stateBytes / 1e6,
              (double) c.checkpoint.stateBytes / c.keys,
              megabytes(c.checkpoint.uploadedBytes),
              c.startSeconds,
              c.restored.seconds,
              c.restored.p50,
              c.restored.p99));
    }
    return b.toString();
  }
}
