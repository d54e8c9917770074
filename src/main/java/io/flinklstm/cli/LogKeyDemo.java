package io.flinklstm.cli;

import io.flinklstm.demo.LogKeyWorkload;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.model.CellType;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.sidecar.CategoricalLearner;
import io.flinklstm.sidecar.CategoricalLearnerConfig;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.KafkaClientProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The pieces of {@code flink-lstm demo --categorical}: the log-key workload, the job's scoring of
 * symbols and the sidecar's categorical learner, from the demo's resolved options.
 *
 * @param hosts hosts in the workload, a multiple of the three host types
 * @param eventsPerHost events of each host
 * @param cleanEvents leading events of each host without anomalies, which the first model learns
 * @param seed the workload's seed
 * @param detector the job's detector
 * @param coldStart what events before the first model do
 * @param topG g of the top-g rule
 * @param minProbability the job's probability below which an expected symbol is flagged
 * @param hidden the LSTM's hidden size
 * @param stepsPerRound optimiser updates per training round
 * @param trainEveryEvents a round after this many events; 0 for once after the clean part
 */
record LogKeyDemo(
    int hosts,
    int eventsPerHost,
    int cleanEvents,
    long seed,
    DetectorConfig detector,
    ColdStartPolicy coldStart,
    int topG,
    double minProbability,
    int hidden,
    long stepsPerRound,
    long trainEveryEvents) {

  static final String MODEL = "log-keys";
  static final int EMBEDDING = 8;
  static final int MAX_VOCABULARY = 64;
  static final int QUIET_EVENTS = 40;
  static final double ANOMALY_RATE = 0.25;
  static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  LogKeyWorkload workload() {
    return LogKeyWorkload.generate(
        new LogKeyWorkload.Settings(
            seed,
            hosts / 3,
            cleanEvents,
            eventsPerHost - cleanEvents,
            Math.min(QUIET_EVENTS, eventsPerHost - cleanEvents),
            ANOMALY_RATE,
            START,
            null));
  }

  TrainerConfig trainer() {
    return TrainerConfig.builder()
        .hiddenSize(hidden)
        .layers(1)
        .window(24)
        .burnIn(16)
        .batchSize(16)
        .steps(stepsPerRound)
        .learningRate(0.01)
        .validationFraction(0.1)
        .seed(1)
        .build();
  }

  CategoricalLearner learner() {
    return new CategoricalLearner(
        MODEL,
        new CategoricalLearnerConfig(
            trainer(),
            CellType.LSTM,
            EMBEDDING,
            MAX_VOCABULARY,
            Vocabulary.DEFAULT_UNKNOWN,
            4096,
            10_000_000L,
            0.0,
            topG),
        Clock.systemUTC());
  }

  LocalPipelineConfig pipeline(
      Path work, String bootstrapServers, KafkaClientProperties kafkaProperties) {
    return LocalPipelineConfig.builder(work, 1)
        .kafka(bootstrapServers, "demo")
        .kafkaProperties(kafkaProperties)
        .scoring(
            ScoringConfig.builder(MODEL)
                .detector(detector)
                .coldStart(coldStart, eventsPerHost)
                .topG(topG)
                .minProbability(minProbability)
                .build())
        .trainer(trainer())
        .trainEvery(
            trainEveryEvents > 0 ? trainEveryEvents : (long) hosts * cleanEvents, Duration.ZERO)
        .checkpointInterval(Duration.ofMillis(500))
        .build();
  }

  /** The settings the report shows. */
  Map<String, String> shown(double rate) {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("hosts", hosts + " (" + hosts / 3 + " web, database and batch hosts each)");
    shown.put("events per host", Integer.toString(eventsPerHost));
    shown.put("clean events per host", Integer.toString(cleanEvents));
    shown.put("seed", Long.toString(seed));
    shown.put(
        "replay rate",
        rate == 0 ? "as fast as possible" : String.format(Locale.ROOT, "%.0f events/s", rate));
    shown.put(
        "model",
        String.format(
            Locale.ROOT,
            "LSTM, hidden %d, embedding %d, vocabulary at most %d",
            hidden,
            EMBEDDING,
            MAX_VOCABULARY));
    shown.put("steps per training round", Long.toString(stepsPerRound));
    shown.put(
        "symbol rule",
        String.format(Locale.ROOT, "top-g %d, min probability %s", topG, minProbability));
    return shown;
  }
}
