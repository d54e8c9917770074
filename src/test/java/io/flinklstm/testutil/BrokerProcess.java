package io.flinklstm.testutil;

import io.flinklstm.local.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker (one KRaft node) in a JVM of its own, which a test can kill with SIGKILL and start
 * again on the same ports and log directory: the same broker, back with its topics, offsets and
 * open transactions, as after a crash of a real one. The process runs {@link #main} on the test's
 * classpath and logs to {@code <dir>/broker.out}, each start after the last.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final String READY = "broker ready at ";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private Process process;

  private BrokerProcess(Path dir, int brokerPort, int controllerPort) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker on free ports in {@code dir}, emptied first: its log directory and output. */
  public static BrokerProcess start(Path dir) throws IOException, InterruptedException {
    int[] ports = EmbeddedKafka.freePorts(2);
    Directories.recreate(dir);
    BrokerProcess broker = new BrokerProcess(dir, ports[0], ports[1]);
    broker.startProcess();
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Kills the broker with SIGKILL, as a crash or an OOM killer would, and waits for it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the broker survived SIGKILL");
    }
  }

  /** Starts the killed broker again, on its ports and log directory; returns once it answers. */
  public void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("the broker still runs");
    }
    startProcess();
  }

  private void startProcess() throws IOException, InterruptedException {
    Path out = dir.resolve("broker.out");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            BrokerProcess.class.getName(),
            dir.resolve("log").toString(),
            Integer.toString(brokerPort),
            Integer.toString(controllerPort));
    Files.writeString(
        out,
        String.join(" ", command) + "\n\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    long logStart = Files.size(out);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.readString(out, StandardCharsets.UTF_8)
        .substring((int) logStart)
        .contains(READY)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the broker process ended; see " + out);
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the broker did not start in " + START_TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      kill();
    }
  }

  /**
   * The broker process: {@code <log dir> <broker port> <controller port>}. Runs until killed, or
   * until its standard input ends (the test JVM that started it is gone).
   */
  public static void main(String[] args) throws IOException {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    System.out.println(READY + kafka.bootstrapServers());
    System.out.flush();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      while (in.readLine() != null) {
        // Nothing is read from the test; the loop ends when its pipe closes.
      }
    }
    kafka.close();
    System.exit(0);
  }
}
