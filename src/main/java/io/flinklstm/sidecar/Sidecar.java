package io.flinklstm.sidecar;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;
import io.flinklstm.wire.WireJson;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training sidecar's loop: consume events, train on schedule, publish what the gate passes.
 *
 * <p>Events are parsed as the job parses them; invalid ones are skipped and counted (the job
 * already sends them to dead letters), and so are events of other models (naming another model, or
 * naming none when the job's default model is another). With a scores topic configured, the sidecar
 * also reads the job's scores and tells the learner which of its model's events were in the red
 * zone, so training leaves them out (from the scores topic's end at start-up: the sample starts
 * empty); before each round it reads the scores up to the topic's end as of that moment (waiting at
 * most {@link #SCORES_CATCH_UP}), so a round knows every flag the job had committed when it began.
 * With a feedback topic configured, it reads analysts' verdicts the same way, from the topic's
 * start: training never learns a window holding a confirmed anomaly, and learns a false positive's
 * as any other, flagged or not. A round runs on a worker thread while the consumer is paused (it
 * keeps polling, so it stays in its group, but takes no records), and its outcome is logged as one
 * line of {@code key=value} pairs. A published version is the last published one plus one, is
 * signed when a key is configured, goes to the models topic in a transaction and then to local
 * disk. Whatever the sidecar does, the job keeps scoring with the last model it accepted.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration SCORES_POLL = Duration.ofMillis(20);

  /** The longest a round waits for the scores committed when it began. */
  static final Duration SCORES_CATCH_UP = Duration.ofSeconds(30);

  private final SidecarConfig config;
  private final Consumer<byte[], byte[]> consumer;

  /** Reads the events before the group's offsets at start-up; null once done. */
  private Consumer<byte[], byte[]> history;

  private final Consumer<byte[], byte[]> scores;
  private final ModelPublisher publisher;
  private final PublishedModelStore store;
  private final ModelHistory publishedFiles;
  private final Learner learner;
  private final PrivateKey signingKey;
  private final Clock clock;
  private final EventCodec codec = new EventCodec();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sidecar-training");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean running = true;
  private volatile RoundListener roundListener = RoundListener.NONE;
  private volatile java.util.function.BooleanSupplier roundGate = () -> true;
  private volatile java.util.concurrent.CountDownLatch scoresCaughtUp;
  private Map<org.apache.kafka.common.TopicPartition, Long> scoresTarget;
  private volatile boolean scoresMissing;
  private SequenceModel current;

  final AtomicLong eventsObserved = new AtomicLong();
  final AtomicLong eventsSkipped = new AtomicLong();
  final AtomicLong eventsRedriven = new AtomicLong();
  final AtomicLong eventsOfOtherModels = new AtomicLong();
  final AtomicLong flaggedEvents = new AtomicLong();
  final AtomicLong confirmedEvents = new AtomicLong();
  final AtomicLong falsePositiveEvents = new AtomicLong();
  final AtomicLong verdictsSkipped = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong refused = new AtomicLong();

  Sidecar(
      SidecarConfig config,
      Consumer<byte[], byte[]> consumer,
      Consumer<byte[], byte[]> history,
      Consumer<byte[], byte[]> scores,
      ModelPublisher publisher,
      PublishedModelStore store,
      Learner learner,
      PrivateKey signingKey,
      Clock clock,
      SequenceModel newestOnTopic)
      throws IOException {
    this.config = config;
    this.consumer = consumer;
    this.history = history;
    this.scores = scores;
    this.publisher = publisher;
    this.store = store;
    this.publishedFiles = new ModelHistory(config.stateDir(), config.modelName());
    this.learner = learner;
    this.signingKey = signingKey;
    this.clock = clock;
    SequenceModel onDisk = store.load().orElse(null);
    this.current = newer(onDisk, newestOnTopic);
    LOG.info(
        "event=start model={} version={} source={}",
        config.modelName(),
        current == null ? 0 : current.info().version(),
        current == null ? "none" : current == onDisk ? "disk" : "topic");
  }

  /**
   * Connects to Kafka and prepares a sidecar: reads the newest published version of the model from
   * the models topic (retrying with backoff while Kafka is unreachable) and from local disk, and
   * continues from the newer.
   */
  public static Sidecar connect(SidecarConfig config, Learner learner, PrivateKey signingKey)
      throws IOException, InterruptedException {
    return connect(config, learner, signingKey, Duration.ofSeconds(30));
  }

  /**
   * As {@link #connect(SidecarConfig, Learner, PrivateKey)}, each Kafka request bounded by {@code
   * requestTimeout}.
   */
  static Sidecar connect(
      SidecarConfig config, Learner learner, PrivateKey signingKey, Duration requestTimeout)
      throws IOException, InterruptedException {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    SequenceModel onTopic = readNewestWithRetries(config, backoff, requestTimeout);
    Properties consumer = clientProperties(config);
    consumer.setProperty(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    // A static member: a sidecar restarted after a crash takes its partitions back at once,
    // instead of waiting for the dead member's session to time out. One sidecar per id.
    consumer.setProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
    consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A model file can be larger than the default 1 MiB request.
    Properties producer =
        config
            .clientProperties()
            .transactionalProducer(
                config.bootstrapServers(),
                config.transactionalId(),
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 << 20)));
    ModelPublisher publisher =
        new ModelPublisher(
            () ->
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
            config.modelsTopic(),
            backoff);
    publisher.prepare();
    Consumer<byte[], byte[]> scores = null;
    if (config.scoresTopic() != null || config.feedbackTopic() != null) {
      Properties scoresReader = clientProperties(config);
      scoresReader.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      scores =
          new KafkaConsumer<>(
              scoresReader, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    Sidecar sidecar =
        new Sidecar(
            config,
            new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            // No group: reading history must not move the group's committed offsets.
            new KafkaConsumer<>(
                clientProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            scores,
            publisher,
            new PublishedModelStore(config.stateDir(), config.modelName()),
            learner,
            signingKey,
            Clock.systemUTC(),
            onTopic);
    // Before connect returns, so every score committed after it is read.
    sidecar.assignScores();
    return sidecar;
  }

  private static SequenceModel readNewestWithRetries(
      SidecarConfig config, Backoff backoff, Duration requestTimeout) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try (KafkaConsumer<byte[], byte[]> reader =
          new KafkaConsumer<>(
              clientProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        return LatestModelReader.read(
                reader, config.modelsTopic(), config.modelName(), requestTimeout)
            .orElse(null);
      } catch (AuthenticationException e) {
        throw new IllegalArgumentException(
            "Kafka at "
                + config.bootstrapServers()
                + " refused the sidecar's credentials (--kafka-property, --kafka-properties): "
                + e.getMessage(),
            e);
      } catch (AuthorizationException e) {
        throw new IllegalArgumentException(
            "Kafka at "
                + config.bootstrapServers()
                + " does not allow the sidecar's principal to read --models-topic '"
                + config.modelsTopic()
                + "': "
                + e.getMessage(),
            e);
      } catch (KafkaException e) {
        Duration wait = backoff.delay(attempt);
        LOG.warn(
            "event=kafka-unavailable topic={} attempt={} retry_ms={} reason=\"{}\"",
            config.modelsTopic(),
            attempt,
            wait.toMillis(),
            e.toString());
        Thread.sleep(wait.toMillis());
      }
    }
  }

  /** A consumer of committed records, with the user's client properties under the sidecar's. */
  private static Properties clientProperties(SidecarConfig config) {
    return config
        .clientProperties()
        .forClient(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(64 << 20)));
  }

  /**
   * Holds each due round until {@code gate} is true (polled), before it reads the scores up to
   * their end and trains; for runs that must be the same whatever the timing.
   */
  public void holdRoundsUntil(java.util.function.BooleanSupplier gate) {
    this.roundGate = gate == null ? () -> true : gate;
  }

  /** Sets who is told of each round's end; replaces the previous listener. */
  public void onRound(RoundListener listener) {
    this.roundListener = listener == null ? RoundListener.NONE : listener;
  }

  /** The model the sidecar last published or started from; null before any. */
  public SequenceModel current() {
    return current;
  }

  /** Runs until {@link #stop()}; rethrows what the sidecar cannot recover from. */
  public void run() throws InterruptedException {
    long newEvents = rebuildSample();
    consumer.subscribe(List.of(config.eventsTopic()));
    Instant lastRound = clock.instant();
    Future<Learner.Round> round = null;
    List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
    try {
      while (running) {
        if (round != null) {
          consumer.pause(consumer.assignment());
        }
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(scores == null ? POLL : SCORES_POLL);
        readScores();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (round != null) {
            held.add(r); // assigned by a rebalance mid-round: observed after the round
          } else if (observe(r)) {
            newEvents++;
          }
        }
        if (round == null && due(newEvents, lastRound)) {
          SequenceModel from = current;
          consumer.pause(consumer.assignment());
          round =
              worker.submit(
                  () -> {
                    awaitGate();
                    awaitScores();
                    return learner.train(from);
                  });
        }
        if (round != null && round.isDone()) {
          finish(round);
          round = null;
          newEvents = 0;
          lastRound = clock.instant();
          consumer.resume(consumer.paused());
          for (ConsumerRecord<byte[], byte[]> r : held) {
            newEvents += observe(r) ? 1 : 0;
          }
          held.clear();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    }
  }

  /**
   * Refills the sample a previous run of the same group learnt from: per partition, up to {@link
   * SidecarConfig#rebuildEvents} events before the group's committed offset ({@link
   * SampleRebuild}).
   *
   * @return the events among them that the current model was not trained on (written after it was
   *     made, by their record timestamps; all of them before a first model), which count towards
   *     the next round as they would have had the sidecar not restarted
   */
  private long rebuildSample() {
    if (config.rebuildEvents() == 0) {
      closeHistory();
      return 0;
    }
    long start = System.nanoTime();
    long observed = eventsObserved.get();
    Map<TopicPartition, Long> until = new HashMap<>();
    long unlearnt = 0;
    try {
      long modelMade = current == null ? Long.MIN_VALUE : current.info().created().toEpochMilli();
      unlearnt =
          SampleRebuild.read(
              history,
              consumer,
              config.eventsTopic(),
              config.rebuildEvents(),
              modelMade,
              this::observe,
              () -> running,
              until);
    } catch (KafkaException e) {
      LOG.warn(
          "event=rebuild-failed model={} reason=\"{}\" hint=\"the sample fills from new events\"",
          config.modelName(),
          e.toString());
    } finally {
      closeHistory();
    }
    LOG.info(
        "event=rebuild-sample model={} events={} new_to_model={} partitions_unfinished={} ms={}",
        config.modelName(),
        eventsObserved.get() - observed,
        unlearnt,
        until.size(),
        (System.nanoTime() - start) / 1_000_000);
    return unlearnt;
  }

  private void closeHistory() {
    if (history != null) {
      history.close(Duration.ofSeconds(5));
      history = null;
    }
  }

  /**
   * Reads every partition of the scores topic from its end as of now (a sidecar's sample starts
   * empty, so older flags would mark nothing) and of the feedback topic from its start (verdicts
   * are few, and a confirmed anomaly must stay out of training after a restart too). A topic that
   * does not exist is left out with a warning; with neither, nothing is read or waited for.
   */
  private void assignScores() {
    if (scores == null) {
      return;
    }
    List<TopicPartition> fromEnd = partitions(config.scoresTopic());
    if (config.scoresTopic() != null && fromEnd.isEmpty()) {
      LOG.warn(
          "event=no-scores-topic topic={} hint=\"training learns from every event, flagged or"
              + " not, until the sidecar restarts with the job's scores topic in place\"",
          config.scoresTopic());
    }
    List<TopicPartition> fromStart = partitions(config.feedbackTopic());
    if (config.feedbackTopic() != null && fromStart.isEmpty()) {
      LOG.warn(
          "event=no-feedback-topic topic={} hint=\"verdicts are not read until the sidecar"
              + " restarts with the feedback topic in place\"",
          config.feedbackTopic());
    }
    List<TopicPartition> all = new ArrayList<>(fromEnd);
    all.addAll(fromStart);
    if (all.isEmpty()) {
      scoresMissing = true;
      return;
    }
    scores.assign(all);
    scores.seekToEnd(fromEnd);
    scores.seekToBeginning(fromStart);
    all.forEach(scores::position);
  }

  /** The partitions of a topic; none for a null or missing topic. */
  private List<TopicPartition> partitions(String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    if (topic != null) {
      scores
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    return partitions;
  }

  private void awaitGate() throws InterruptedException {
    while (!roundGate.getAsBoolean()) {
      Thread.sleep(20);
    }
  }

  /**
   * On the training thread: asks the loop to read the scores up to the topic's end as it is now,
   * and waits for that (at most {@link #SCORES_CATCH_UP}; the round goes on without the rest).
   */
  private void awaitScores() throws InterruptedException {
    if (scores == null || scoresMissing) {
      return;
    }
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    scoresCaughtUp = done;
    if (!done.await(SCORES_CATCH_UP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      LOG.warn(
          "event=scores-behind model={} topic={} waited_ms={}",
          config.modelName(),
          config.scoresTopic(),
          SCORES_CATCH_UP.toMillis());
    }
    scoresCaughtUp = null;
  }

  /**
   * On the loop's thread: reads the scores that arrived and tells the learner of its model's
   * flagged events; when a round asked, notes the topic's end and, once read up to it, releases the
   * round.
   */
  private void readScores() {
    if (scores == null || scoresMissing) {
      return;
    }
    java.util.concurrent.CountDownLatch waiting = scoresCaughtUp;
    if (waiting != null && scoresTarget == null) {
      scoresTarget = scores.endOffsets(scores.assignment());
    }
    for (ConsumerRecord<byte[], byte[]> r : scores.poll(SCORES_POLL)) {
      if (r.topic().equals(config.feedbackTopic())) {
        readVerdict(r);
        continue;
      }
      try {
        ScoreRecord s = WireJson.decodeScore(r.value());
        if (s.anomaly && config.modelName().equals(s.model)) {
          learner.observeFlagged(s.key, s.ts);
          flaggedEvents.incrementAndGet();
        }
      } catch (java.io.IOException | RuntimeException e) {
        // Not a score this build can read: it marks nothing.
      }
    }
    if (waiting != null && scoresTarget != null) {
      boolean caughtUp =
          scoresTarget.entrySet().stream()
              .allMatch(e -> scores.position(e.getKey()) >= e.getValue());
      if (caughtUp) {
        scoresTarget = null;
        waiting.countDown();
      }
    }
  }

  /**
   * Tells the learner of an analyst's verdict on an event of its model (a verdict naming no model
   * is taken as one of this sidecar's); an unreadable one is skipped and counted, as the job sends
   * it to the dead letters.
   */
  private void readVerdict(ConsumerRecord<byte[], byte[]> r) {
    Verdict v;
    try {
      v = Verdict.parse(r.key(), r.value());
    } catch (InvalidInputException e) {
      verdictsSkipped.incrementAndGet();
      LOG.warn(
          "event=verdict-skipped topic={} partition={} offset={} reason={} message=\"{}\"",
          r.topic(),
          r.partition(),
          r.offset(),
          e.reason().code(),
          e.getMessage());
      return;
    }
    if (v.model != null && !config.modelName().equals(v.model)) {
      return;
    }
    LOG.info(
        "event=verdict model={} key=\"{}\" ts={} verdict={}",
        config.modelName(),
        v.key,
        v.ts,
        v.kind.code());
    learner.observeVerdict(v.key, v.ts, v.kind == Verdict.Kind.CONFIRMED);
    (v.kind == Verdict.Kind.CONFIRMED ? confirmedEvents : falsePositiveEvents).incrementAndGet();
  }

  /** Asks the loop to end; safe from any thread, for instance a shutdown hook. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private boolean observe(ConsumerRecord<byte[], byte[]> r) {
    if (r.headers().lastHeader(DeadLetter.REDRIVEN_FROM_HEADER) != null) {
      // Sent back from the dead letters: the sidecar read the original when it was first sent.
      eventsRedriven.incrementAndGet();
      return false;
    }
    try {
      Event e = codec.parse(r.key(), r.value());
      if (!config.learnsFrom(e.model)) {
        eventsOfOtherModels.incrementAndGet();
        return false;
      }
      if (e.isSymbol()) {
        learner.observeSymbol(e.key, e.ts, e.symbol);
      } else {
        learner.observe(e.key, e.ts, e.values);
      }
      eventsObserved.incrementAndGet();
      return true;
    } catch (InvalidInputException | IllegalArgumentException e) {
      eventsSkipped.incrementAndGet();
      return false;
    }
  }

  private boolean due(long newEvents, Instant lastRound) {
    if (config.trainEveryEvents() > 0 && newEvents >= config.trainEveryEvents()) {
      return true;
    }
    return !config.trainInterval().isZero()
        && newEvents >= config.minNewEvents()
        && !clock.instant().isBefore(lastRound.plus(config.trainInterval()));
  }

  private void finish(Future<Learner.Round> future) throws InterruptedException {
    Learner.Round round;
    long parent = current == null ? 0 : current.info().version();
    try {
      round = future.get();
    } catch (ExecutionException e) {
      refused.incrementAndGet();
      LOG.warn(
          "event=round decision=failed model={} reason=\"{}\"",
          config.modelName(),
          e.getCause().toString());
      roundListener.roundFinished(
          new RoundListener.Outcome(
              RoundListener.Decision.FAILED, parent, e.getCause().toString()));
      return;
    }
    if (!round.publish()) {
      refused.incrementAndGet();
      LOG.info(
          "event=round decision=refuse model={} parent={} reason=\"{}\" {}",
          config.modelName(),
          parent,
          round.reason(),
          format(round.metrics()));
      roundListener.roundFinished(
          new RoundListener.Outcome(RoundListener.Decision.REFUSED, parent, round.reason()));
      return;
    }
    ModelInfo info =
        new ModelInfo(config.modelName(), parent + 1, clock.instant(), parent, round.metrics());
    SequenceModel model = withInfo(round.candidate(), info);
    byte[] file = signingKey == null ? ModelFile.write(model) : ModelFile.write(model, signingKey);
    publisher.publish(config.modelName(), file);
    try {
      store.save(file);
      publishedFiles.add(info.version(), file);
    } catch (IOException e) {
      // Published but not on disk: the topic still holds it, and start-up reads the topic too.
      LOG.warn(
          "event=store-failed model={} version={} reason=\"{}\"",
          config.modelName(),
          info.version(),
          e.getMessage());
    }
    current = model;
    published.incrementAndGet();
    LOG.info(
        "event=round decision=publish model={} version={} parent={} reason=\"{}\" signed={} {}",
        config.modelName(),
        info.version(),
        parent,
        round.reason(),
        signingKey != null,
        format(round.metrics()));
    roundListener.roundFinished(
        new RoundListener.Outcome(
            RoundListener.Decision.PUBLISHED, info.version(), round.reason()));
  }

  private static String format(Map<String, Double> metrics) {
    StringBuilder b = new StringBuilder();
    metrics.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }

  private static SequenceModel withInfo(SequenceModel model, ModelInfo info) {
    return model instanceof CategoricalModel c
        ? c.withInfo(info)
        : ((LstmModel) model).withInfo(info);
  }

  private static SequenceModel newer(SequenceModel a, SequenceModel b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.info().version() >= b.info().version() ? a : b;
  }

  @Override
  public void close() {
    worker.shutdownNow();
    publisher.close();
    closeHistory();
    consumer.close(Duration.ofSeconds(5));
    if (scores != null) {
      scores.close(Duration.ofSeconds(5));
    }
  }
}
