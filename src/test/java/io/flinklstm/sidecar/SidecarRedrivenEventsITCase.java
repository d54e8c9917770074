package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceStore;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events sent back from the dead letters ({@code dead-letters redrive}) are duplicates for the
 * sidecar, which read the originals when they were first sent: its sample does not take them twice.
 */
class SidecarRedrivenEventsITCase {
  private static final String MODEL = "redriven";
  private static final List<String> KEYS = EventSeries.keys(20);
  private static final int ROUNDS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @TempDir Path stateDir;

  @Test
  void eventsSentBackFromTheDeadLettersAreNotLearntTwice() throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "redriven");
    String kafka = KAFKA.bootstrapServers();
    TrainerConfig training =
        TrainerConfig.builder().hiddenSize(4).window(8).burnIn(2).batchSize(8).steps(5).build();
    Learner learner =
        new ContinualLearner(
            new ContinualTrainer(
                MODEL, new SequenceStore(2, 4096, 1_000_000), training, new PromotionGate(0)),
            Clock.systemUTC());
    SidecarConfig config =
        new SidecarConfig(
            kafka,
            topics.events(),
            topics.models(),
            KafkaBroker.uniqueName("redriven-group"),
            MODEL,
            MODEL,
            stateDir,
            1_000_000,
            Duration.ZERO,
            1,
            KafkaBroker.uniqueName("redriven-tx"),
            null,
            0,
            KafkaClientProperties.NONE,
            null);
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    try (Sidecar sidecar = Sidecar.connect(config, learner, null);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      CompletableFuture<Void> loop =
          CompletableFuture.runAsync(
              () -> {
                try {
                  sidecar.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      for (Event e : events) {
        producer.send(record(topics.events(), e));
      }
      // The same events again, as a redrive sends them back.
      long offset = 0;
      for (Event e : events) {
        ProducerRecord<byte[], byte[]> again = record(topics.events(), e);
        again
            .headers()
            .add(
                DeadLetter.REDRIVEN_FROM_HEADER,
                ("dead-letters/0/" + offset++).getBytes(StandardCharsets.UTF_8));
        producer.send(again);
      }
      producer.flush();
      Waiting.until(
          "every event read", TIMEOUT, () -> sidecar.eventsRedriven.get() == events.size());
      assertThat(sidecar.eventsObserved.get()).isEqualTo(events.size());
      sidecar.stop();
      loop.get();
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, Event e) {
    return new ProducerRecord<>(topic, e.key.getBytes(StandardCharsets.UTF_8), EventSeries.json(e));
  }
}
