package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.InputScaling;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.SequenceStore;
import io.flinklstm.train.Series;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.KafkaClientProperties;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;
import io.flinklstm.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar told to skip flagged events reads the job's scores from a real broker and marks, in its
 * sample, the events of its model that were flagged, whether the score arrives before or after the
 * event; flags of another model mark nothing.
 */
class SidecarFlagsITCase {
  private static final String MODEL = "flags";
  private static final List<String> KEYS = EventSeries.keys(20);
  private static final int ROUNDS = 100;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @TempDir Path stateDir;

  @Test
  void flaggedEventsAreMarkedInTheSampleBeforeARoundTrains() throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "flags");
    String kafka = KAFKA.bootstrapServers();
    SequenceStore store = new SequenceStore(2, 4096, 1_000_000, InputScaling.DEFAULT);
    Learner learner = learner(store);
    SidecarConfig config = config(topics, "flags", topics.scores());
    try (Sidecar sidecar = Sidecar.connect(config, learner, null);
        EventProducer events = new EventProducer(kafka, topics.events());
        EventProducer scores = new EventProducer(kafka, topics.scores())) {
      CompletableFuture<Void> loop =
          CompletableFuture.runAsync(
              () -> {
                try {
                  sidecar.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      // A flag that comes before its event, and one of another model.
      flag(scores, "key-03", 50, MODEL);
      flag(scores, "key-04", 60, "other");
      events.sendEvents(EventSeries.rounds(KEYS, 0, ROUNDS), KEYS.size(), Duration.ZERO);
      events.flush();
      Waiting.until("round 1", TIMEOUT, () -> sidecar.published.get() + sidecar.refused.get() == 1);
      // A flag that comes after its event was stored.
      flag(scores, "key-05", 70, MODEL);
      events.sendEvents(EventSeries.rounds(KEYS, ROUNDS, 2 * ROUNDS), KEYS.size(), Duration.ZERO);
      events.flush();
      Waiting.until("round 2", TIMEOUT, () -> sidecar.published.get() + sidecar.refused.get() == 2);
      sidecar.stop();
      loop.get();
      assertThat(sidecar.flaggedEvents.get()).isEqualTo(2);
    }
    SequenceSet sample = store.snapshot();
    for (Series s : sample.series()) {
      for (int t = 0; t < s.length(); t++) {
        boolean expected =
            (s.key().equals("key-03") && t == 50) || (s.key().equals("key-05") && t == 70);
        assertThat(s.flaggedIn(t, t + 1)).as("%s step %d", s.key(), t).isEqualTo(expected);
      }
    }
  }

  /**
   * With the default of learning from flagged events (no scores topic), a sidecar reading the
   * feedback topic still keeps every confirmed anomaly of its model out of training, whether the
   * verdict comes before or after the event; a false positive, a verdict on another model and an
   * unreadable verdict mark nothing.
   */
  @Test
  void confirmedAnomaliesAreMarkedSoTrainingNeverLearnsThem() throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "verdicts");
    String feedback = KafkaBroker.uniqueName("verdicts-feedback");
    KAFKA.createTopics(1, feedback);
    String kafka = KAFKA.bootstrapServers();
    SequenceStore store = new SequenceStore(2, 4096, 1_000_000, InputScaling.DEFAULT);
    Learner learner = learner(store);
    SidecarConfig config = config(topics, "verdicts", null).withFeedbackTopic(feedback);
    try (EventProducer verdicts = new EventProducer(kafka, feedback)) {
      // Sent before the sidecar starts: the feedback topic is read from its start.
      verdict(verdicts, "key-03", 50, Verdict.Kind.CONFIRMED, null);
      verdict(verdicts, "key-04", 60, Verdict.Kind.CONFIRMED, "other");
      verdict(verdicts, "key-05", 65, Verdict.Kind.FALSE_POSITIVE, MODEL);
      verdicts.send("key-06", "{\"key\":\"key-06\"}".getBytes(StandardCharsets.UTF_8)).get();
    }
    try (Sidecar sidecar = Sidecar.connect(config, learner, null);
        EventProducer events = new EventProducer(kafka, topics.events());
        EventProducer verdicts = new EventProducer(kafka, feedback)) {
      CompletableFuture<Void> loop =
          CompletableFuture.runAsync(
              () -> {
                try {
                  sidecar.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      events.sendEvents(EventSeries.rounds(KEYS, 0, ROUNDS), KEYS.size(), Duration.ZERO);
      events.flush();
      Waiting.until("round 1", TIMEOUT, () -> sidecar.published.get() + sidecar.refused.get() == 1);
      // Confirmed after its event was stored.
      verdict(verdicts, "key-07", 70, Verdict.Kind.CONFIRMED, MODEL);
      events.sendEvents(EventSeries.rounds(KEYS, ROUNDS, 2 * ROUNDS), KEYS.size(), Duration.ZERO);
      events.flush();
      Waiting.until("round 2", TIMEOUT, () -> sidecar.published.get() + sidecar.refused.get() == 2);
      sidecar.stop();
      loop.get();
      assertThat(sidecar.confirmedEvents.get()).isEqualTo(2);
      assertThat(sidecar.falsePositiveEvents.get()).isEqualTo(1);
      assertThat(sidecar.verdictsSkipped.get()).isEqualTo(1);
      assertThat(sidecar.flaggedEvents.get()).isZero();
    }
    for (Series s : store.snapshot().series()) {
      for (int t = 0; t < s.length(); t++) {
        boolean expected =
            (s.key().equals("key-03") && t == 50) || (s.key().equals("key-07") && t == 70);
        assertThat(s.flaggedIn(t, t + 1)).as("%s step %d", s.key(), t).isEqualTo(expected);
      }
    }
  }

  /** A sidecar learning {@link #MODEL} on the topics, a round every {@link #ROUNDS} rounds. */
  private SidecarConfig config(ScoringTopics topics, String name, String scoresTopic) {
    return new SidecarConfig(
        KAFKA.bootstrapServers(),
        topics.events(),
        topics.models(),
        KafkaBroker.uniqueName(name + "-group"),
        MODEL,
        MODEL,
        stateDir,
        (long) ROUNDS * KEYS.size(),
        Duration.ZERO,
        1,
        KafkaBroker.uniqueName(name + "-tx"),
        scoresTopic,
        SidecarConfig.DEFAULT_REBUILD_EVENTS,
        KafkaClientProperties.NONE,
        null);
  }

  /** A small, fast numeric learner over the store. */
  private static Learner learner(SequenceStore store) {
    TrainerConfig training =
        TrainerConfig.builder().hiddenSize(4).window(8).burnIn(2).batchSize(8).steps(5).build();
    return new ContinualLearner(
        new ContinualTrainer(MODEL, store, training, new PromotionGate(0)), Clock.systemUTC());
  }

  private static void verdict(
      EventProducer feedback, String key, int index, Verdict.Kind kind, String model)
      throws Exception {
    feedback.send(key, new Verdict(key, EventSeries.ts(index), kind, model, null).encode()).get();
  }

  private static void flag(EventProducer scores, String key, int index, String model)
      throws Exception {
    ScoreRecord s = new ScoreRecord();
    s.key = key;
    s.ts = EventSeries.ts(index);
    s.anomaly = true;
    s.model = model;
    s.modelVersion = 1;
    s.status = ScoreRecord.SCORED;
    scores.send(key, WireJson.encode(s)).get();
  }
}
