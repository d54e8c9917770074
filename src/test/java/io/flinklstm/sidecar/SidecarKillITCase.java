package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.CliProcess;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar as a user runs it, {@code flink-lstm sidecar} in a process of its own, killed with
 * SIGKILL again and again while events stream in and the job scores them, and started again each
 * time on the same state directory, consumer group and transactional id. Every other kill waits for
 * the sidecar's publishing transaction to be open on the broker, so it lands inside the
 * transaction.
 *
 * <p>What must hold: read_committed readers of the models topic see only whole model files, with
 * versions 1, 2, 3 ... and none missing or repeated, while each transaction a kill cut left its
 * record aborted; the job scores every event exactly once without a restart.
 */
class SidecarKillITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(16);
  private static final int KILLS = 6;
  private static final long SEED = 7;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Path LOGS = Path.of("target", "sidecar-kill");

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @TempDir Path work;

  @Test
  void killedAgainAndAgainItPublishesOnlyWholeContiguousVersionsAndTheJobGoesOn(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "kill");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig job =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    String transactionalId = KafkaBroker.uniqueName("kill-tx");
    List<String> sidecar = sidecarCommand(topics, transactionalId);
    Random random = new Random(SEED);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    int[] epoch = {-1};
    int killedInTransaction = 0;
    try (EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader scores = TopicReader.readCommitted(kafka, topics.scores());
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
        ScoringJobRun run =
            ScoringJobRun.start(cluster, job, ScoringConfig.builder(MODEL).build(), "kill")) {
      slowDown(admin, "producer-" + transactionalId);
      // About 320 events a second: one round of the keys every 50 ms.
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () -> {
                while (producing.get()) {
                  int i = rounds.getAndIncrement();
                  send(events, i);
                  sleep(50);
                }
              });
      for (int kill = 0; kill < KILLS; kill++) {
        epoch[0] = producerEpoch(admin, transactionalId);
        Process p = start(sidecar, kill);
        if (kill % 2 == 1
            && awaitOpenTransaction(admin, transactionalId, epoch, Duration.ofSeconds(30))) {
          killedInTransaction++;
        } else {
          sleep(4000 + random.nextInt(4000));
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      // Once more, left to publish the next version and stopped as an operator stops it.
      List<Long> before = versions(kafka, topics.models(), true);
      Process last = start(sidecar, KILLS);
      Waiting.until(
          "a version after the kills",
          TIMEOUT,
          () -> versions(kafka, topics.models(), true).size() > before.size());
      // The command's own logging puts the decision on the console (here its log file), with no
      // logging option given.
      Path console = LOGS.resolve("sidecar-" + KILLS + ".log");
      Waiting.until(
          "the publish decision on the sidecar's console",
          TIMEOUT,
          () ->
              Files.readString(console)
                  .contains("INFO  Sidecar - event=round decision=publish model=" + MODEL));
      last.destroy();
      assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
      producing.set(false);
      producer.get();

      int sent = rounds.get() * KEYS.size();
      List<ScoreRecord> scored =
          JobOutput.scores(scores.awaitCount(sent, TIMEOUT)).stream().toList();
      assertThat(scored.stream().map(JobOutput::id).toList())
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(
              EventSeries.rounds(KEYS, 0, rounds.get()).stream().map(JobOutput::id).toList());
      assertThat(run.maxAttemptNumber()).as("job restarts; %s", run.lastFailure()).isZero();
    }

    List<Long> committed = versions(kafka, topics.models(), true);
    assertThat(committed)
        .as("versions a read_committed reader sees")
        .isNotEmpty()
        .containsExactlyElementsOf(LongStream.rangeClosed(1, committed.size()).boxed().toList());
    // Every record a read_uncommitted reader sees beyond those belongs to an aborted transaction:
    // it is a whole file too (a kill cuts a transaction, not a record), never committed.
    List<Long> all = versions(kafka, topics.models(), false);
    assertThat(killedInTransaction).as("kills inside a transaction").isEqualTo(KILLS / 2);
    assertThat(all).containsAll(committed);
    assertThat(all.size() - committed.size())
        .as("records of aborted transactions")
        .isGreaterThanOrEqualTo(killedInTransaction);
    System.out.printf(
        "sidecar killed %d times (%d inside its publishing transaction): versions %s committed,"
            + " %d records of aborted transactions%n",
        KILLS, killedInTransaction, committed, all.size() - committed.size());
  }

  private List<String> sidecarCommand(ScoringTopics topics, String transactionalId) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--events-topic",
                topics.events(),
                "--models-topic",
                topics.models(),
                "--group-id",
                KafkaBroker.uniqueName("kill-group"),
                "--model-name",
                MODEL,
                "--input-size",
                Integer.toString(EventSeries.DIMENSION),
                "--state-dir",
                work.resolve("state").toString(),
                "--transactional-id",
                transactionalId,
                "--train-every-events",
                "1500"));
    options.addAll(CliProcess.SMALL_TRAINING);
    return CliProcess.command("sidecar", options);
  }

  private Process start(List<String> command, int run) throws Exception {
    Path log = LOGS.resolve("sidecar-" + run + ".log");
    Files.createDirectories(LOGS);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Throttles the sidecar's producer (a client quota of 1 KB/s, far below a model file's size), so
   * that a publishing transaction stays open for seconds: a kill aimed inside it lands there.
   */
  private static void slowDown(Admin admin, String clientId) throws Exception {
    ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
    admin
        .alterClientQuotas(
            List.of(
                new ClientQuotaAlteration(
                    entity, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0)))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** The transactional id's producer epoch now; -1 before its first producer. */
  private static int producerEpoch(Admin admin, String id) throws Exception {
    try {
      return admin
          .describeTransactions(List.of(id))
          .all()
          .get(5, TimeUnit.SECONDS)
          .get(id)
          .producerEpoch();
    } catch (java.util.concurrent.ExecutionException e) {
      return -1;
    }
  }

  /**
   * Waits until the transactional id has a transaction open on the broker under a newer producer
   * epoch than {@code epoch[0]} (a killed producer's transaction stays open until its successor
   * starts and aborts it), and notes that epoch; false if none opens in time.
   */
  private static boolean awaitOpenTransaction(Admin admin, String id, int[] epoch, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        TransactionDescription d =
            admin.describeTransactions(List.of(id)).all().get(5, TimeUnit.SECONDS).get(id);
        if (d.state() == TransactionState.ONGOING && d.producerEpoch() > epoch[0]) {
          epoch[0] = d.producerEpoch();
          return true;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        // Not known to the coordinator before the sidecar's first transaction.
      }
    }
    return false;
  }

  /** The version of every model record on the topic, in offset order. */
  private static List<Long> versions(String kafka, String topic, boolean committedOnly) {
    try (TopicReader reader =
        committedOnly
            ? TopicReader.readCommitted(kafka, topic)
            : TopicReader.readUncommitted(kafka, topic)) {
      List<Long> out = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : reader.readFor(Duration.ofSeconds(2))) {
        out.add(ModelFile.inspect(r.value(), List.of()).model().info().version());
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(EventProducer events, int round) {
    try {
      events.sendEvents(EventSeries.rounds(KEYS, round, round + 1), KEYS.size(), Duration.ZERO);
      events.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
