package io.flinklstm.testutil;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in the test JVM, for {@code
 * *ITCase}s. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
 * }</pre>
 *
 * <p>Every test class shares one broker: the first class to run starts it, and JUnit closes it when
 * the whole run ends (it lives in the root extension store). Tests isolate themselves with unique
 * topic names ({@link #uniqueName}) rather than a fresh broker, since a start costs seconds and the
 * machine is small. Replication factors are 1 and the group join delay is 0, so transactions and
 * consumer groups work on a single node without waiting.
 */
public final class KafkaBroker implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBroker.class);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private volatile Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
  }

  public String bootstrapServers() {
    return broker().kit.bootstrapServers();
  }

  /** A topic, group or transactional-id name not used before in this JVM. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  /** Creates the topics with the given number of partitions and waits until they exist. */
  public void createTopics(int partitions, String... names) {
    createTopics(broker().admin, partitions, names);
  }

  /**
   * Creates the topics through {@code admin}, one replica each, and waits until the broker answers
   * metadata requests for them with a leader for every partition: a topic the controller has
   * created may reach the broker's metadata a moment later, and a Kafka source that asks in that
   * moment fails its job.
   */
  public static void createTopics(Admin admin, int partitions, String... names) {
    List<NewTopic> topics =
        Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
    try {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
      awaitMetadata(admin, Arrays.asList(names));
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitMetadata(Admin admin, List<String> names)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean led =
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (led) {
          return;
        }
      } catch (ExecutionException e) {
        // Not known to the broker yet.
      }
      if (System.nanoTime() > deadline) {
        throw new java.util.concurrent.TimeoutException("no metadata for " + names);
      }
      Thread.sleep(50);
    }
  }

  private Running broker() {
    if (running == null) {
      throw new IllegalStateException(
          "the broker starts before all tests: register KafkaBroker with @RegisterExtension on a"
              + " static field");
    }
    return running;
  }

  /**
   * Formats and starts a one-node KRaft cluster (broker and controller in one) whose internal
   * topics have one replica and few partitions, with no initial rebalance delay, so transactions
   * and consumer groups work at once; returns once the broker answers. The caller closes it.
   */
  public static KafkaClusterTestKit startSingleNode() throws Exception {
    KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "4")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    try {
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return kit;
    } catch (Exception e) {
      kit.close();
      throw e;
    }
  }

  /** The started broker and an admin client; closed by JUnit at the end of the run. */
  private static final class Running implements AutoCloseable {
    final KafkaClusterTestKit kit;
    final Admin admin;

    private Running(KafkaClusterTestKit kit, Admin admin) {
      this.kit = kit;
      this.admin = admin;
    }

    static Running start() {
      try {
        KafkaClusterTestKit kit = startSingleNode();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
        return new Running(kit, admin);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the Kafka broker", e);
      }
    }

    @Override
    public void close() {
      admin.close();
      try {
        kit.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("cannot stop the Kafka broker", e);
      }
    }
  }
}
