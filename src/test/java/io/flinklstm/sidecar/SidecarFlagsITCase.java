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
import io.flinklstm.wire.WireJson;
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
    TrainerConfig training =
        TrainerConfig.builder().hiddenSize(4).window(8).burnIn(2).batchSize(8).steps(5).build();
    Learner learner =
        new ContinualLearner(
            new ContinualTrainer(MODEL, store, training, new PromotionGate(0)), Clock.systemUTC());
    SidecarConfig config =
        new SidecarConfig(
            kafka,
            topics.events(),
            topics.models(),
            KafkaBroker.uniqueName("flags-group"),
            MODEL,
            MODEL,
            stateDir,
            (long) ROUNDS * KEYS.size(),
            Duration.ZERO,
            1,
            KafkaBroker.uniqueName("flags-tx"),
            topics.scores(),
            SidecarConfig.DEFAULT_REBUILD_EVENTS,
            KafkaClientProperties.NONE);
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
