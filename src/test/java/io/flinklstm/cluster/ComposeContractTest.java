package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinklstm.cli.JobMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.util.bash.FlinkConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What the containers of {@code docker-compose.yml} make of it, checked without a container engine:
 * the file is read as Compose reads it (anchors and merge keys resolved), and each Flink
 * container's configuration is made as the flink 2.2 image's entrypoint makes it on start: {@code
 * flink-conf/} copied over {@code conf/}, then {@code jobmanager.rpc.address} from {@code
 * JOB_MANAGER_RPC_ADDRESS}, the fixed blob and query ports, and each line of {@code
 * FLINK_PROPERTIES}, all applied by Flink's own {@link FlinkConfigLoader} (what the entrypoint's
 * {@code config-parser-utils.sh} runs). The cluster forms when every TaskManager is told the
 * JobManager's service name; the job resumes after a JobManager restart when high availability
 * points at services and volumes the file has.
 */
class ComposeContractTest {
  private static final Path COMPOSE = Path.of("docker-compose.yml");
  private static final Path FLINK_CONF = Path.of("flink-conf");
  private static final Path PROMETHEUS = Path.of("deploy", "prometheus", "prometheus.yml");
  private static final Path DASHBOARDS = Path.of("deploy", "grafana", "dashboards");
  private static final String USRLIB = "/opt/flink/usrlib/";
  private static final String FLINK_DATA = "/flink-data";

  private static Map<String, Map<String, Object>> services;
  private static Map<String, Object> volumes;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    volumes = (Map<String, Object>) compose.get("volumes");
  }

  @Test
  void theJobManagerRunsTheJobJarInApplicationModeWithOptionsTheJobAccepts() throws Exception {
    Map<String, Object> jm = services.get("jobmanager");
    List<String> command = strings(jm.get("command"));
    assertThat(command.get(0)).isEqualTo("standalone-job");
    assertThat(command.get(1)).isEqualTo("--job-classname");
    assertThat(Class.forName(command.get(2))).isEqualTo(JobMain.class);
    assertThat(strings(jm.get("volumes")))
        .as("the job jar in Flink's user-code folder")
        .contains("./target/flink-lstm-job.jar:" + USRLIB + "flink-lstm-job.jar:ro");

    assertThat(JobArguments.parseWithHelp(command.subList(3, command.size())))
        .as("the job's options parse (the job prints its help and stops)")
        .contains("Usage: flink-lstm job");
    assertThat(services)
        .as("no service submits the job with flink run: the JobManager runs it")
        .allSatisfy(
            (name, s) -> assertThat(String.valueOf(s.get("command"))).doesNotContain("flink run"));
  }

  @Test
  void everyFlinkContainerIsToldTheJobManagersServiceName(@TempDir Path conf) throws Exception {
    List<String> flinkServices = flinkServices();
    assertThat(flinkServices).contains("jobmanager", "taskmanager-1", "taskmanager-2");
    for (String name : flinkServices) {
      Configuration c = entrypointConfiguration(services.get(name), conf.resolve(name));
      assertThat(c.get(JobManagerOptions.ADDRESS))
          .as("%s: jobmanager.rpc.address", name)
          .isEqualTo("jobmanager");
      assertThat(c.get(RestOptions.ADDRESS)).as("%s: rest.address", name).isEqualTo("jobmanager");
    }
    assertThat(strings(services.get("taskmanager-1").get("command")))
        .containsExactly("taskmanager");
    assertThat(strings(services.get("taskmanager-2").get("command")))
        .containsExactly("taskmanager");
    assertThat(strings(services.get("jobmanager").get("ports"))).contains("8081:8081");
  }

  @Test
  void aRestartedJobManagerFindsTheJobThroughZooKeeperAndItsCheckpointsOnASharedVolume(
      @TempDir Path conf) throws Exception {
    for (String name : flinkServices()) {
      Configuration c = entrypointConfiguration(services.get(name), conf.resolve(name));
      assertThat(c.get(HighAvailabilityOptions.HA_MODE)).as(name).isEqualTo("zookeeper");
      String quorum = c.get(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM);
      assertThat(services)
          .as("%s: the ZooKeeper quorum %s is a service", name, quorum)
          .containsKey(quorum.split(":")[0]);
      for (String dir :
          List.of(
              c.get(HighAvailabilityOptions.HA_STORAGE_PATH),
              c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
              c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))) {
        assertThat(dir)
            .as("%s: a directory every Flink container shares", name)
            .startsWith("file://" + FLINK_DATA + "/");
      }
      assertThat(strings(services.get(name).get("volumes")))
          .as("%s mounts the shared volume", name)
          .contains("flink-data:" + FLINK_DATA);
      assertThat(services.get(name).get("restart")).as(name).isEqualTo("unless-stopped");
    }
    assertThat(volumes).containsKeys("flink-data", "zookeeper-data");
  }

  @Test
  void kafkaKeepsItsLogOnAVolumeAndTheModelsTopicTakesTheSidecarsLargestRecords() {
    Map<String, Object> kafka = services.get("kafka");
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) kafka.get("environment");
    String logDirs = String.valueOf(env.get("KAFKA_LOG_DIRS"));
    assertThat(strings(kafka.get("volumes"))).contains("kafka-data:" + logDirs);
    assertThat(volumes).containsKey("kafka-data");

    // The script's lines, each continued line joined to the one it continues.
    String init =
        String.join("\n", strings(services.get("kafka-init").get("command")))
            .replaceAll("\\\\\n\\s*", " ");
    Matcher models = Pattern.compile("--topic models .*").matcher(init);
    assertThat(models.find()).as("kafka-init creates the models topic").isTrue();
    assertThat(models.group()).contains("cleanup.policy=compact");
    Matcher size = Pattern.compile("max\\.message\\.bytes=(\\d+)").matcher(models.group());
    assertThat(size.find()).as("the models topic sets max.message.bytes").isTrue();
    assertThat(Long.parseLong(size.group(1)))
        .as("the sidecar's and model publish's max.request.size")
        .isGreaterThanOrEqualTo(64L << 20);
  }

  @Test
  void prometheusScrapesEveryFlinkContainerAndGrafanaLoadsTheDashboard(@TempDir Path conf)
      throws Exception {
    String reporterPorts =
        GlobalConfiguration.loadConfiguration(FLINK_CONF.toString())
            .getString("metrics.reporter.prom.port", "");
    String port = reporterPorts.split("-")[0];
    List<String> targets = new ArrayList<>();
    Matcher m = Pattern.compile("-\\s+([\\w.-]+:\\d+)").matcher(Files.readString(PROMETHEUS));
    while (m.find()) {
      targets.add(m.group(1));
    }
    assertThat(targets)
        .as("one target per Flink container, at the reporter's first port")
        .containsExactlyInAnyOrderElementsOf(
            flinkServices().stream().map(s -> s + ":" + port).toList());
    assertThat(strings(services.get("prometheus").get("volumes")))
        .contains("./" + PROMETHEUS + ":/etc/prometheus/prometheus.yml:ro");

    List<String> grafanaVolumes = strings(services.get("grafana").get("volumes"));
    assertThat(grafanaVolumes)
        .contains(
            "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./" + DASHBOARDS + ":/var/lib/grafana/dashboards:ro");
    JsonNode dashboard =
        new ObjectMapper().readTree(DASHBOARDS.resolve("flink-lstm.json").toFile());
    assertThat(dashboard.path("panels")).isNotEmpty();
    assertThat(Files.readString(Path.of("deploy/grafana/provisioning/dashboards/flink-lstm.yml")))
        .contains("path: /var/lib/grafana/dashboards");
    assertThat(Files.readString(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml")))
        .contains("url: http://prometheus:9090");
  }

  /** The names of the services that run the flink image (not the one-off volume initialiser). */
  private static List<String> flinkServices() {
    return services.entrySet().stream()
        .filter(e -> String.valueOf(e.getValue().get("image")).startsWith("flink:"))
        .filter(e -> !"root".equals(e.getValue().get("user")))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * The configuration the image's entrypoint leaves in {@code conf/config.yaml} for a service: the
   * project's flink-conf/, then the entrypoint's settings, through Flink's configuration loader.
   */
  @SuppressWarnings("unchecked")
  private static Configuration entrypointConfiguration(Map<String, Object> service, Path conf)
      throws Exception {
    Files.createDirectories(conf);
    Files.copy(FLINK_CONF.resolve("config.yaml"), conf.resolve("config.yaml"));
    Map<String, Object> env = (Map<String, Object>) service.get("environment");
    String hostname = "a-container-id";
    String address =
        env != null && env.containsKey("JOB_MANAGER_RPC_ADDRESS")
            ? String.valueOf(env.get("JOB_MANAGER_RPC_ADDRESS"))
            : hostname;
    List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
    args.add("-Djobmanager.rpc.address=" + address);
    args.add("-Dblob.server.port=6124");
    args.add("-Dquery.server.port=6125");
    String properties = env == null ? null : (String) env.get("FLINK_PROPERTIES");
    if (properties != null) {
      for (String line : properties.split("\n")) {
        String prop = line.strip();
        if (prop.isEmpty()) {
          continue;
        }
        int colon = prop.indexOf(':');
        String value = prop.substring(colon + 1).strip();
        assertThat(value).as("FLINK_PROPERTIES values go through envsubst").doesNotContain("$");
        args.add("-D" + prop.substring(0, colon) + "=" + value);
      }
    }
    List<String> lines = FlinkConfigLoader.loadAndModifyConfiguration(args.toArray(String[]::new));
    Files.write(conf.resolve("config.yaml"), lines);
    return GlobalConfiguration.loadConfiguration(conf.toString());
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return ((List<Object>) list).stream().map(String::valueOf).toList();
  }
}
