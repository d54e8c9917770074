package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.format.ModelFile;
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
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backfill that overflows the cold-start buffer before the first model, then {@code dead-letters
 * redrive} sends the overflow back once the model is there: every event is scored exactly once, and
 * a second run sends nothing again.
 */
class DeadLetterRedriveITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(20);
  private static final int EVENTS_PER_KEY = 30;
  private static final int BUFFER = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @Test
  void aBackfillThatOverflowedTheBufferIsScoredAfterARedrive(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "redrive");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig job =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    ScoringConfig scoring =
        ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, BUFFER).build();
    int overflow = KEYS.size() * (EVENTS_PER_KEY - BUFFER);
    try (TopicReader scores = TopicReader.readCommitted(kafka, topics.scores());
        TopicReader deadLetters = TopicReader.readCommitted(kafka, topics.deadLetters());
        ScoringJobRun run = ScoringJobRun.start(cluster, job, scoring, "redrive");
        EventProducer events = new EventProducer(kafka, topics.events())) {
      events.sendEvents(EventSeries.rounds(KEYS, 0, EVENTS_PER_KEY), KEYS.size(), Duration.ZERO);
      // And one that no redrive can mend.
      events.send("key-00", "{not json".getBytes(StandardCharsets.UTF_8));
      events.flush();
      List<DeadLetter> refused = decode(deadLetters.awaitCount(overflow + 1, TIMEOUT));
      assertThat(refused)
          .filteredOn(d -> d.reason.equals("no_model_buffer_full"))
          .hasSize(overflow);

      try (ModelPublisher models = new ModelPublisher(kafka, topics.models())) {
        models.publish(MODEL, ModelFile.write(TestModels.model(MODEL, 1, 2, 8, 1)));
      }
      scores.awaitCount(KEYS.size() * BUFFER, TIMEOUT);

      String[] options = {
        "--bootstrap-servers", kafka,
        "--dead-letters-topic", topics.deadLetters(),
        "--events-topic", topics.events(),
        "--group-id", KafkaBroker.uniqueName("redrive"),
        "--transactional-id", KafkaBroker.uniqueName("redrive-tx")
      };
      Run dry = cli(options, "--dry-run", "--reason", "no_model_buffer_full");
      assertThat(dry.exit()).as(dry.err()).isZero();
      assertThat(dry.out())
          .startsWith(
              "would send back " + overflow + " of " + (overflow + 1) + " dead letters to '");

      Run redrive = cli(options, "--reason", "no_model_buffer_full");
      assertThat(redrive.exit()).as(redrive.err()).isZero();
      assertThat(redrive.out())
          .startsWith("sent back " + overflow + " of " + (overflow + 1) + " dead letters to '")
          .contains("(1 passed over, 0 unreadable)");

      List<ScoreRecord> scored =
          JobOutput.scores(scores.awaitCount(KEYS.size() * EVENTS_PER_KEY, TIMEOUT));
      // Every event once, in its key's order: the overflow came back after the buffered ones.
      assertThat(scored.stream().map(JobOutput::id).toList())
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(
              EventSeries.rounds(KEYS, 0, EVENTS_PER_KEY).stream().map(JobOutput::id).toList());
      assertThat(scored).extracting(s -> s.status).containsOnly(ScoreRecord.SCORED);

      Run again = cli(options, "--reason", "no_model_buffer_full");
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out()).startsWith("sent back 0 of 0 dead letters");
      assertThat(scores.readFor(Duration.ofSeconds(2))).hasSize(KEYS.size() * EVENTS_PER_KEY);
      assertThat(decode(deadLetters.readFor(Duration.ofSeconds(1))))
          .as("nothing sent back was refused again")
          .hasSize(overflow + 1);
      assertThat(run.maxAttemptNumber()).isZero();
    }
  }

  private static List<DeadLetter> decode(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(
            r -> {
              try {
                return WireJson.decodeDeadLetter(r.value());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String[] options, String... more) {
    String[] args = new String[2 + options.length + more.length];
    args[0] = "dead-letters";
    args[1] = "redrive";
    System.arraycopy(options, 0, args, 2, options.length);
    System.arraycopy(more, 0, args, 2 + options.length, more.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = FlinkLstm.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
