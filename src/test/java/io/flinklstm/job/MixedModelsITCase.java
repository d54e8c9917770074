package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.demo.LogKeyWorkload;
import io.flinklstm.detect.SymbolJudge;
import io.flinklstm.detect.SymbolJudgement;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.model.kernel.SymbolStepper;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One job serves a categorical and a numeric model at once: symbol events of log hosts go to the
 * categorical model (the default, so they name none), values events of sensors name the numeric
 * one. Every event must be scored exactly once by the model of its kind, each score must be the one
 * a plain per-key run of that model gives, and events whose kind does not fit their model must go
 * to dead letters as {@code wrong_kind}.
 */
class MixedModelsITCase {
  private static final String LOGS = "logs";
  private static final String METRICS = "metrics";
  private static final int SYMBOLS_PER_HOST = 60;
  private static final int ROUNDS = 40;
  private static final int TOP_G = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofMillis(1000);
  private static final List<String> SENSORS = EventSeries.keys(12);
  private static final LstmModel METRICS_V1 =
      TestModels.model(METRICS, 1, EventSeries.DIMENSION, 8, 31);
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(LOGS)
          .models(List.of(METRICS))
          .topG(TOP_G)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .build();

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @Test
  void eachEventIsScoredByTheModelItIsRoutedTo(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    LogKeyWorkload workload =
        LogKeyWorkload.generate(
            new LogKeyWorkload.Settings(
                5, 4, SYMBOLS_PER_HOST, 0, 0, 0, EventSeries.BEGINNING, null));
    List<Event> symbolEvents = workload.training();
    List<String> symbols =
        symbolEvents.stream().map(e -> e.symbol).distinct().sorted().collect(Collectors.toList());
    // A vocabulary without the heartbeat: every heartbeat is an unknown symbol to this model.
    symbols.remove("heartbeat");
    CategoricalModel logs = TestModels.categorical(LOGS, 1, symbols, 8, 32);
    List<Event> numericEvents = new ArrayList<>();
    for (Event e : EventSeries.rounds(SENSORS, 0, ROUNDS)) {
      numericEvents.add(new Event(e.key, e.ts, e.values, METRICS));
    }
    List<Event> wrongKind =
        List.of(
            new Event("bad-1", EventSeries.BEGINNING, new float[] {1f, 2f}, LOGS),
            Event.ofSymbol("bad-2", EventSeries.BEGINNING, "conn.open", METRICS));

    ScoringTopics topics = ScoringTopics.create(KAFKA, "mixed-models");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig config =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    List<ScoreRecord> scores;
    List<DeadLetter> deadLetters;
    int expected = symbolEvents.size() + numericEvents.size();
    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader output = TopicReader.readCommitted(kafka, topics.scores());
        TopicReader rejected = TopicReader.readCommitted(kafka, topics.deadLetters());
        ScoringJobRun job = ScoringJobRun.start(cluster, config, CONFIG, "mixed-models")) {
      models.publish(LOGS, ModelFile.write(logs));
      models.publish(METRICS, ModelFile.write(METRICS_V1));
      job.awaitAllTasksRunning(TIMEOUT);
      EventCodec codec = new EventCodec();
      int n = Math.max(symbolEvents.size(), numericEvents.size());
      for (int i = 0; i < n; i++) {
        if (i < symbolEvents.size()) {
          events.send(symbolEvents.get(i).key, codec.encode(symbolEvents.get(i)));
        }
        if (i < numericEvents.size()) {
          events.send(numericEvents.get(i).key, codec.encode(numericEvents.get(i)));
        }
      }
      for (Event e : wrongKind) {
        events.send(e.key, codec.encode(e));
      }
      events.flush();
      output.awaitCount(expected, TIMEOUT);
      scores = JobOutput.scores(output.readFor(LOOK_FOR_EXTRAS));
      deadLetters = JobOutput.deadLetters(rejected.awaitCount(wrongKind.size(), TIMEOUT));
      assertThat(job.maxAttemptNumber()).as("restarts").isZero();
    }

    assertThat(scores).hasSize(expected);
    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            concat(symbolEvents, numericEvents).stream().map(JobOutput::id).toList());
    Map<String, List<ScoreRecord>> byKey =
        scores.stream().collect(Collectors.groupingBy(s -> s.key));
    for (String host : workload.hosts()) {
      assertSymbolScores(logs, host, eventsOf(symbolEvents, host), byKey.get(host));
    }
    for (String sensor : SENSORS) {
      assertNumericScores(sensor, eventsOf(numericEvents, sensor), byKey.get(sensor));
    }
    assertThat(scores)
        .filteredOn(s -> s.symbol != null)
        .extracting(s -> s.verdict)
        .contains(ScoreRecord.UNKNOWN);
    assertThat(deadLetters)
        .extracting(d -> d.key + ":" + d.reason)
        .containsExactlyInAnyOrder(
            "bad-1:" + RejectReason.WRONG_KIND.code(), "bad-2:" + RejectReason.WRONG_KIND.code());
  }

  private static void assertSymbolScores(
      CategoricalModel model, String host, List<Event> events, List<ScoreRecord> scores) {
    assertThat(scores).as("scores of %s", host).hasSameSizeAs(events);
    SymbolStepper stepper = SymbolStepper.of(model);
    SymbolJudge judge = new SymbolJudge(TOP_G);
    SymbolJudgement j = new SymbolJudgement();
    LstmState state = model.newState();
    for (int i = 0; i < events.size(); i++) {
      ScoreRecord s = scores.get(i);
      judge.judge(stepper.logProbabilities(state), model.vocabulary(), events.get(i).symbol, j);
      stepper.advance(state, j.symbolId);
      assertThat(s.model).isEqualTo(LOGS);
      assertThat(s.ts).isEqualTo(events.get(i).ts);
      assertThat(s.symbol).isEqualTo(events.get(i).symbol);
      assertThat(s.values).isNull();
      assertThat(s.prediction).isNull();
      assertThat(s.surprise).as("%s event %d", host, i).isEqualTo(j.surprise);
      assertThat(s.rank).isEqualTo(j.rank);
    }
  }

  private static void assertNumericScores(
      String sensor, List<Event> events, List<ScoreRecord> scores) {
    assertThat(scores).as("scores of %s", sensor).hasSameSizeAs(events);
    Stepper stepper = Stepper.of(METRICS_V1);
    LstmState state = METRICS_V1.newState();
    float[] predicted = new float[EventSeries.DIMENSION];
    float[] normalized = new float[EventSeries.DIMENSION];
    for (int i = 0; i < events.size(); i++) {
      ScoreRecord s = scores.get(i);
      METRICS_V1.normalizer().denormalize(stepper.predict(state), predicted);
      assertThat(s.model).isEqualTo(METRICS);
      assertThat(s.symbol).isNull();
      assertThat(s.surprise).isNull();
      assertThat(s.verdict).isNull();
      assertThat(s.prediction).as("%s event %d", sensor, i).containsExactly(predicted);
      METRICS_V1.normalizer().normalize(events.get(i).values, normalized);
      stepper.advance(state, normalized);
    }
  }

  private static List<Event> eventsOf(List<Event> events, String key) {
    return events.stream().filter(e -> e.key.equals(key)).collect(Collectors.toList());
  }

  private static List<Event> concat(List<Event> a, List<Event> b) {
    List<Event> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
