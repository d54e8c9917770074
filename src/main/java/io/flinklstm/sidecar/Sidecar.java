package io.flinklstm.sidecar;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelFile;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * naming none when the job's default model is another). A round runs on a worker thread while the
 * consumer is paused (it keeps polling, so it stays in its group, but takes no records), and its
 * outcome is logged as one line of {@code key=value} pairs. A published version is the last
 * published one plus one, is signed when a key is configured, goes to the models topic in a
 * transaction and then to local disk. Whatever the sidecar does, the job keeps scoring with the
 * last model it accepted.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final SidecarConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final ModelPublisher publisher;
  private final PublishedModelStore store;
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
  private SequenceModel current;

  final AtomicLong eventsObserved = new AtomicLong();
  final AtomicLong eventsSkipped = new AtomicLong();
  final AtomicLong eventsOfOtherModels = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong refused = new AtomicLong();

  Sidecar(
      SidecarConfig config,
      Consumer<byte[], byte[]> consumer,
      ModelPublisher publisher,
      PublishedModelStore store,
      Learner learner,
      PrivateKey signingKey,
      Clock clock,
      SequenceModel newestOnTopic)
      throws IOException {
    this.config = config;
    this.consumer = consumer;
    this.publisher = publisher;
    this.store = store;
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
    consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Properties producer = new Properties();
    producer.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    producer.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    producer.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producer.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    // A model file can be larger than the default 1 MiB request.
    producer.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 << 20));
    ModelPublisher publisher =
        new ModelPublisher(
            () ->
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
            config.modelsTopic(),
            backoff);
    return new Sidecar(
        config,
        new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        publisher,
        new PublishedModelStore(config.stateDir(), config.modelName()),
        learner,
        signingKey,
        Clock.systemUTC(),
        onTopic);
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

  private static Properties clientProperties(SidecarConfig config) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 20));
    return p;
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
    consumer.subscribe(List.of(config.eventsTopic()));
    long newEvents = 0;
    Instant lastRound = clock.instant();
    Future<Learner.Round> round = null;
    List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
    try {
      while (running) {
        if (round != null) {
          consumer.pause(consumer.assignment());
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
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
          round = worker.submit(() -> learner.train(from));
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

  /** Asks the loop to end; safe from any thread, for instance a shutdown hook. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private boolean observe(ConsumerRecord<byte[], byte[]> r) {
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
    consumer.close(Duration.ofSeconds(5));
  }
}
