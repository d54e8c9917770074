package io.flinklstm.cluster;

import io.flinklstm.local.EmbeddedKafka;
import io.flinklstm.testutil.Directories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * A standalone Flink session cluster of separate JVMs, started as Flink's scripts start one: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}), TaskManagers ({@code TaskManagerRunner})
 * and the {@code flink} command line ({@code CliFrontend}), on the classpath of a Flink
 * distribution from Maven Central ({@code src/test/cluster/pom.xml}), with memory flags from {@code
 * BashJavaUtils} and the JVM options of the configuration.
 *
 * <p>The configuration is {@code flink-conf/config.yaml} with this machine's addresses, free ports,
 * small memory sizes and directories under the work directory laid over it. Every process logs to
 * {@code <work>/logs}. Closing the cluster kills every process it started, and so does a shutdown
 * hook if the test JVM exits first.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final String BASH_JAVA_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern PROMETHEUS_STARTED =
      Pattern.compile("Started PrometheusReporter HTTP server on port (\\d+)");
  private static final Pattern SAVEPOINT_PATH = Pattern.compile("Path: (\\S+)");
  private static final int TAIL_LINES = 40;

  private final Path work;
  private final Path conf;
  private final Path logs;
  private final String classpath;
  private final Configuration configuration;
  private final int restPort;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Resources> resources = new LinkedHashMap<>();
  private final Thread killer = new Thread(this::killAll, "kill-flink-processes");

  private StandaloneCluster(
      Path work, Path conf, String classpath, Configuration configuration, int restPort) {
    this.work = work;
    this.conf = conf;
    this.logs = work.resolve("logs");
    this.classpath = classpath;
    this.configuration = configuration;
    this.restPort = restPort;
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * Writes the cluster's configuration to {@code <work>/conf}: {@code flinkConf}'s config.yaml with
   * the local settings and {@code overrides} over it, and its log4j files.
   */
  static StandaloneCluster create(
      Path flinkConf, Path classpathFile, Path work, Map<String, String> overrides)
      throws IOException {
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile
              + " is missing: it is written in pre-integration-test; run this test with"
              + " mvn verify (-Dit.test=StandaloneClusterITCase)");
    }
    String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
    Directories.recreate(work);
    Path conf = Files.createDirectories(work.resolve("conf"));
    Files.createDirectories(work.resolve("logs"));
    Files.createDirectories(work.resolve("tmp"));
    int[] ports = EmbeddedKafka.freePorts(3);
    int restPort = ports[0];

    Configuration c = GlobalConfiguration.loadConfiguration(flinkConf.toString());
    Map<String, String> local = new LinkedHashMap<>();
    local.put("jobmanager.rpc.address", "localhost");
    local.put("jobmanager.bind-host", "localhost");
    local.put("jobmanager.rpc.port", Integer.toString(ports[1]));
    local.put("taskmanager.host", "localhost");
    local.put("taskmanager.bind-host", "localhost");
    local.put("blob.server.port", Integer.toString(ports[2]));
    local.put("rest.address", "localhost");
    local.put("rest.bind-address", "localhost");
    local.put("rest.port", Integer.toString(restPort));
    local.put("io.tmp.dirs", work.resolve("tmp").toString());
    local.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
    local.put(
        "execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
    local.putAll(overrides);
    local.forEach(c::setString);
    Files.write(
        conf.resolve("config.yaml"), ConfigurationUtils.convertConfigToWritableLines(c, false));
    for (String log4j :
        List.of("log4j.properties", "log4j-console.properties", "log4j-cli.properties")) {
      Files.copy(flinkConf.resolve(log4j), conf.resolve(log4j));
    }
    return new StandaloneCluster(work, conf, classpath, c, restPort);
  }

  int restPort() {
    return restPort;
  }

  Path work() {
    return work;
  }

  /**
   * The port the named process's Prometheus reporter serves, as its log says: a TaskManager takes
   * the port it is given, the JobManager the first free port of the configured range.
   */
  int prometheusPort(String name) throws IOException {
    Path log = logs.resolve(name + ".log");
    Matcher m = PROMETHEUS_STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IllegalStateException(name + " started no Prometheus reporter; see " + log);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Starts the JobManager, logging to the console file through log4j-console.properties. */
  void startJobManager() throws IOException, InterruptedException {
    List<String> command = java(CoreOptions.FLINK_JM_JVM_OPTIONS);
    Resources resources = resources("GET_JM_RESOURCE_PARAMS");
    command.addAll(resources.jvmArgs);
    command.addAll(logging("jobmanager", "log4j-console.properties"));
    command.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    command.addAll(List.of("--configDir", conf.toString(), "--executionMode", "cluster"));
    command.addAll(resources.dynamicConfigs);
    command.addAll(prometheus());
    start("jobmanager", command);
  }

  /** Starts a TaskManager under the given name, logging through log4j.properties. */
  void startTaskManager(String name) throws IOException, InterruptedException {
    List<String> command = java(CoreOptions.FLINK_TM_JVM_OPTIONS);
    Resources resources = resources("GET_TM_RESOURCE_PARAMS");
    command.addAll(resources.jvmArgs);
    command.addAll(logging(name, "log4j.properties"));
    command.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    command.addAll(List.of("--configDir", conf.toString()));
    command.addAll(resources.dynamicConfigs);
    command.addAll(prometheus());
    start(name, command);
  }

  /**
   * Throws if the named process has exited, with the end of its output and log; a process that died
   * at start (a port taken, memory refused) is then reported at once and not as a timeout.
   */
  void assertAlive(String name) throws IOException {
    Process p = processes.get(name);
    if (!p.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + p.exitValue() + "; the end of its output:\n" + tail(name));
    }
  }

  /** The last lines of the named process's console output and log, for a failure's message. */
  String tail(String name) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String file : List.of(name + ".out", name + ".log")) {
      Path path = logs.resolve(file);
      if (Files.isRegularFile(path)) {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        text.append("--- ").append(path).append('\n');
        lines
            .subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      }
    }
    return text.toString();
  }

  /** Kills the named process with SIGKILL, as a crash or an OOM killer would, and waits for it. */
  void kill(String name) throws InterruptedException {
    Process p = processes.get(name);
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL");
    }
  }

  /**
   * Runs {@code flink <args>} and waits for it to end.
   *
   * @return its output (stdout and stderr)
   * @throws IllegalStateException when it exits non-zero
   */
  String flink(String name, String... args) throws IOException, InterruptedException {
    List<String> command = java(CoreOptions.FLINK_CLI_JVM_OPTIONS);
    command.addAll(logging(name, "log4j-cli.properties"));
    command.add("org.apache.flink.client.cli.CliFrontend");
    command.addAll(Arrays.asList(args));
    Path out = logs.resolve(name + ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("FLINK_CONF_DIR", conf.toString());
    Process p = builder.start();
    processes.put(name, p);
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("flink " + args[0] + " did not end in 3 minutes; see " + out);
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "flink " + args[0] + " exited with " + p.exitValue() + "; see " + out + ":\n" + output);
    }
    return output;
  }

  /** Submits the jar detached ({@code flink run -d}) and returns the job id it printed. */
  String submit(Path jar, List<String> jobArgs) throws IOException, InterruptedException {
    return run("flink-run", List.of(), jar, jobArgs);
  }

  /**
   * Submits the jar detached, its state restored from the savepoint ({@code flink run -d -s}), and
   * returns the job id it printed.
   */
  String submitFromSavepoint(String savepoint, Path jar, List<String> jobArgs)
      throws IOException, InterruptedException {
    return run("flink-run-from-savepoint", List.of("-s", savepoint), jar, jobArgs);
  }

  /**
   * Stops the job with a savepoint in the cluster's savepoint directory ({@code flink stop}) and
   * returns the savepoint's path.
   */
  String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
    String output =
        flink(
            "flink-stop",
            "stop",
            "--savepointPath",
            work.resolve("savepoints").toUri().toString(),
            jobId);
    return find(SAVEPOINT_PATH, output, "flink stop printed no savepoint path");
  }

  private String run(String name, List<String> options, Path jar, List<String> jobArgs)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    args.addAll(options);
    args.add(jar.toString());
    args.addAll(jobArgs);
    String output = flink(name, args.toArray(String[]::new));
    return find(JOB_ID, output, "flink run printed no job id");
  }

  private static String find(Pattern pattern, String output, String otherwise) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(otherwise + ":\n" + output);
    }
    return m.group(1);
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // The JVM is shutting down and runs the hook itself.
    }
  }

  private void killAll() {
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void start(String name, List<String> command) throws IOException {
    Path out = logs.resolve(name + ".out");
    Files.writeString(out, String.join(" ", command) + "\n\n");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    processes.put(name, p);
  }

  /** The java command with the configuration's JVM options, as Flink's scripts assemble them. */
  private List<String> java(ConfigOption<String> processOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (ConfigOption<String> option :
        List.of(
            CoreOptions.FLINK_DEFAULT_JVM_OPTIONS, CoreOptions.FLINK_JVM_OPTIONS, processOptions)) {
      String value = configuration.get(option);
      if (value != null && !value.isBlank()) {
        command.addAll(Arrays.asList(value.trim().split("\\s+")));
      }
    }
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  private List<String> logging(String name, String log4jFile) {
    return List.of(
        "-Dlog.file=" + logs.resolve(name + ".log"),
        "-Dlog4j.configurationFile=" + conf.resolve(log4jFile).toUri());
  }

  /** A free port for the process's Prometheus reporter, so processes on one host do not collide. */
  private List<String> prometheus() throws IOException {
    int port = freePort();
    return List.of("-D", "metrics.reporter.prom.port=" + port);
  }

  /**
   * Memory flags and settings from BashJavaUtils, as jobmanager.sh and taskmanager.sh get them;
   * computed once per kind of process, so a replacement TaskManager starts without the extra JVM.
   */
  private Resources resources(String command) throws IOException, InterruptedException {
    Resources known = resources.get(command);
    if (known == null) {
      known = computeResources(command);
      resources.put(command, known);
    }
    return known;
  }

  private Resources computeResources(String command) throws IOException, InterruptedException {
    Path out = logs.resolve("bash-java-utils-" + command + ".out");
    Process p =
        new ProcessBuilder(
                java(CoreOptions.FLINK_CLI_JVM_OPTIONS).get(0),
                "-cp",
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                command,
                "--configDir",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("BashJavaUtils " + command + " failed; see " + out);
    }
    List<String> results =
        Files.readAllLines(out).stream()
            .filter(l -> l.startsWith(BASH_JAVA_UTILS_PREFIX))
            .map(l -> l.substring(BASH_JAVA_UTILS_PREFIX.length()).trim())
            .toList();
    if (results.size() != 2) {
      throw new IllegalStateException(
          "BashJavaUtils " + command + " gave " + results + "; see " + out);
    }
    return new Resources(
        Arrays.asList(results.get(0).split("\\s+")), Arrays.asList(results.get(1).split("\\s+")));
  }

  private record Resources(List<String> jvmArgs, List<String> dynamicConfigs) {}

  private static int freePort() throws IOException {
    return EmbeddedKafka.freePorts(1)[0];
  }
}
