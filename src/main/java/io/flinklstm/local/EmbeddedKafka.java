package io.flinklstm.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A Kafka broker in this JVM: one KRaft node that is broker and controller at once, listening on
 * free ports of 127.0.0.1, its log in a given directory. Everything that Kafka replicates has one
 * replica, and consumer groups form without the usual initial delay, so transactions and groups
 * work on the single node at once.
 *
 * <p>For local runs and demos only: a real deployment runs Kafka as its own service.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String CONTROLLER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST_CHOSEN_PORT = 10_000;

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code logDir} (an empty or missing directory) and starts the broker; returns once it
   * answers requests.
   *
   * @throws IOException if the directory cannot be prepared or the broker does not come up
   */
  public static EmbeddedKafka start(Path logDir) throws IOException {
    int[] ports = freePorts(2);
    return start(logDir, ports[0], ports[1]);
  }

  /**
   * As {@link #start(Path)}, on given ports. A directory the broker has used before is kept as it
   * is, so a broker started again on its directory and ports is the same broker, with its topics,
   * offsets and transactions.
   *
   * @throws IOException if the directory cannot be prepared or the broker does not come up
   */
  public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort)
      throws IOException {
    Files.createDirectories(logDir);
    KafkaRaftServer server = formatted(logDir, properties(logDir, brokerPort, controllerPort));
    String bootstrap = "127.0.0.1:" + brokerPort;
    EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap);
    try {
      server.startup();
      awaitReady(bootstrap);
    } catch (RuntimeException | IOException e) {
      kafka.close();
      throw e instanceof IOException io ? io : new IOException("Kafka did not start: " + e, e);
    }
    return kafka;
  }

  /**
   * A KRaft node of the given configuration, not started yet: the configuration is written to
   * {@code dir/server.properties} and Kafka's own storage tool writes the cluster id and the
   * bootstrap metadata into its log directory, unless a broker has formatted it before.
   *
   * @throws IOException if the configuration cannot be written or the log directory formatted
   */
  static KafkaRaftServer formatted(Path dir, Properties props) throws IOException {
    Path file = dir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(file)) {
      props.store(w, "embedded broker");
    }
    if (Files.exists(dir.resolve("meta.properties"))) {
      // Formatted before: a broker started again keeps its cluster id, topics and offsets.
      return new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    }
    ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();
    int formatted =
        StorageTool.execute(
            new String[] {
              "format",
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--config",
              file.toAbsolutePath().toString(),
              "--ignore-formatted"
            },
            new PrintStream(toolOutput, true, StandardCharsets.UTF_8));
    if (formatted != 0) {
      throw new IOException(
          "cannot format the Kafka log directory of "
              + dir
              + ": "
              + toolOutput.toString(StandardCharsets.UTF_8));
    }
    return new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
  }

  /** {@code host:port} of the broker's plaintext listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", CONTROLLER);
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.putAll(singleNode(logDir));
    return p;
  }

  /**
   * What a node alone needs whatever its listeners: its log directory, one replica of everything
   * Kafka replicates, groups that form without the initial delay, and no topics created by use.
   */
  static Properties singleNode(Path logDir) {
    Properties p = new Properties();
    p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "4");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    return p;
  }

  private static void awaitReady(String bootstrap) throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Kafka starts", e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("Kafka did not answer at " + bootstrap + " in " + READY_TIMEOUT);
        }
        sleep(100);
      }
    }
  }

  /**
   * {@code n} distinct free ports of the loopback address, taken below the range the system hands
   * to outgoing connections ({@code net.ipv4.ip_local_port_range} on Linux): a port of that range
   * can go to any client's connection between the moment it is found free and the moment its server
   * binds it. Where the range cannot be read, the system picks the ports. The sockets that find
   * them stay open until all are found: one closed at once could hand the same port out twice.
   */
  public static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      int firstEphemeral = firstEphemeralPort();
      int span = firstEphemeral - LOWEST_CHOSEN_PORT;
      int next = span > 0 ? LOWEST_CHOSEN_PORT + ThreadLocalRandom.current().nextInt(span) : 0;
      for (int i = 0; i < n; i++) {
        for (int tried = 0; sockets[i] == null; tried++) {
          if (span > 0 && tried == span) {
            throw new IOException("no free port below " + firstEphemeral);
          }
          int port = span > 0 ? next : 0;
          next = span > 0 ? LOWEST_CHOSEN_PORT + (next + 1 - LOWEST_CHOSEN_PORT) % span : 0;
          try {
            sockets[i] = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
          } catch (BindException taken) {
            // In use: try the next port.
          }
        }
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  /** The first port of the system's range for outgoing connections, or 0 where it is unknown. */
  private static int firstEphemeralPort() {
    try {
      String range = Files.readString(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException unknown) {
      return 0;
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Kafka starts", e);
    }
  }

  /** Shuts the broker down and waits until it has stopped. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
