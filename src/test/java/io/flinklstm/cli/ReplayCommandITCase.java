package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code flink-lstm replay} against a real broker: every row arrives once, in time order. */
class ReplayCommandITCase {
  private static final long APRIL_FIRST_2014 = 1_396_310_400_000L;
  private static final long FIVE_MINUTES = 300_000L;
  private static final int ROWS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @TempDir Path dir;

  @Test
  void replaysANabFolderInTimeOrderAcrossKeys() throws Exception {
    // Two keys on interleaved clocks: b is 2.5 minutes behind a.
    writeNab("realTraffic/a.csv", 0);
    writeNab("realKnownCause/b.csv", FIVE_MINUTES / 2);
    String topic = KafkaBroker.uniqueName("replay");
    KAFKA.createTopics(1, topic);

    CliRun run =
        CliRun.run(
            "replay",
            "--input",
            dir,
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--model",
            "traffic");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).last().asString().startsWith("replayed events=60 keys=2 ");
    List<Event> events = read(topic, 2 * ROWS);
    assertThat(events).extracting(e -> e.ts).isSorted();
    assertThat(events).extracting(e -> e.key).containsOnly("realTraffic/a", "realKnownCause/b");
    assertThat(events).extracting(e -> e.model).containsOnly("traffic");
    List<Event> a = events.stream().filter(e -> e.key.equals("realTraffic/a")).toList();
    assertThat(a).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      assertThat(a.get(i).ts).isEqualTo(APRIL_FIRST_2014 + i * FIVE_MINUTES);
      assertThat(a.get(i).values).containsExactly((float) i);
    }
  }

  @Test
  void pacedReplayCreatesAMissingTopicAndSendsEverything() throws Exception {
    writeNab("a.csv", 0);
    String topic = KafkaBroker.uniqueName("replay-paced");

    CliRun run =
        CliRun.run(
            "replay",
            "--input",
            dir,
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--rate",
            200,
            "--partitions",
            2);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Event> events = read(topic, ROWS);
    assertThat(events).extracting(e -> e.ts).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(e -> e.model).containsOnlyNulls();
  }

  @Test
  void aBadFileIsAUsageErrorNamingTheLine() throws Exception {
    Files.write(dir.resolve("bad.csv"), List.of("timestamp,value", "2014-04-01 00:00:00,x"));

    CliRun run =
        CliRun.run("replay", "--input", dir, "--bootstrap-servers", KAFKA.bootstrapServers());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("bad.csv, line 2: column 2 is 'x', not a number");
  }

  private void writeNab(String name, long offset) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    for (int i = 0; i < ROWS; i++) {
      long t = APRIL_FIRST_2014 + offset + i * FIVE_MINUTES;
      lines.add(
          String.format(
              Locale.ROOT,
              "%tF %<tT,%d",
              java.time.Instant.ofEpochMilli(t).atZone(java.time.ZoneOffset.UTC),
              i));
    }
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  private static List<Event> read(String topic, int count) throws Exception {
    EventCodec codec = new EventCodec();
    List<Event> events = new ArrayList<>();
    try (TopicReader reader = TopicReader.readCommitted(KAFKA.bootstrapServers(), topic)) {
      for (ConsumerRecord<byte[], byte[]> r : reader.awaitCount(count, TIMEOUT)) {
        events.add(codec.parse(r.key(), r.value()));
      }
      assertThat(reader.readFor(Duration.ofMillis(500))).hasSize(count);
    }
    return events;
  }
}
