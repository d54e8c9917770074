package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.cli.FlinkLstm;
import io.flinklstm.cli.JobMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the job and the sidecar make of the manifests in {@code deploy/kubernetes}, beside their
 * schemas ({@code scripts/check-kubernetes.sh}): the FlinkDeployment runs the job jar where the job
 * image puts it, with options the job accepts, on the Flink version this build is made for, with
 * savepoint upgrades, Kubernetes high availability and a Prometheus endpoint that the pods
 * announce; every Flink setting is a current Flink option. The sidecar runs alone with options it
 * accepts, its state and Kafka settings mounted where its options point.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("deploy", "kubernetes");
  private static final Path DOCKERFILE = Path.of("deploy", "docker", "Dockerfile");

  private static Map<String, Object> flink;
  private static Map<String, Object> sidecar;
  private static Map<String, Object> claim;

  @BeforeAll
  static void read() throws IOException {
    Map<String, Map<String, Object>> byKind = new HashMap<>();
    for (String file : List.of("flink-lstm-job.yaml", "sidecar.yaml")) {
      for (Object doc : new Yaml().loadAll(Files.readString(DIR.resolve(file)))) {
        Map<String, Object> manifest = map(doc);
        byKind.put(String.valueOf(manifest.get("kind")), manifest);
      }
    }
    flink = byKind.get("FlinkDeployment");
    sidecar = byKind.get("Deployment");
    claim = byKind.get("PersistentVolumeClaim");
  }

  @Test
  void theFlinkDeploymentRunsTheJobJarOfTheJobImageWithOptionsTheJobAccepts() throws Exception {
    Map<String, Object> job = map(at(flink, "spec", "job"));
    String jar = String.valueOf(job.get("jarURI"));
    assertThat(jar).startsWith("local://");
    assertThat(Files.readString(DOCKERFILE))
        .as("the job image puts the job jar where jarURI points")
        .contains("target/flink-lstm-job.jar " + jar.substring("local://".length()));
    assertThat(Class.forName(String.valueOf(job.get("entryClass")))).isEqualTo(JobMain.class);
    assertThat(job.get("upgradeMode")).isEqualTo("savepoint");

    List<String> args = strings(job.get("args"));
    assertThat(JobArguments.parseWithHelp(args)).contains("Usage: flink-lstm job");
    assertThat(args.get(args.indexOf("--parallelism") + 1))
        .isEqualTo(String.valueOf(job.get("parallelism")));
  }

  @Test
  void theFlinkDeploymentIsForThisBuildsFlinkVersionAndEverySettingIsAFlinkOption()
      throws Exception {
    String version = EnvironmentInformation.getVersion();
    String[] parts = version.split("\\.");
    Map<String, Object> spec = map(flink.get("spec"));
    assertThat(spec.get("flinkVersion")).isEqualTo("v" + parts[0] + "_" + parts[1]);
    assertThat(Files.readString(DOCKERFILE)).contains("FROM flink:" + version + "-java17 AS job");

    Map<String, Object> conf = map(spec.get("flinkConfiguration"));
    assertThat(FlinkOptionKeys.problems(conf.keySet())).isEmpty();
    assertThat(conf)
        .containsEntry("high-availability.type", "kubernetes")
        .containsKeys(
            "high-availability.storageDir",
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir");
    assertThat(conf.values())
        .as("every value is a string, as the operator's schema requires")
        .allSatisfy(v -> assertThat(v).isInstanceOf(String.class));

    Map<String, Object> container = flinkMainContainer();
    String plugin = env(container).get("ENABLE_BUILT_IN_PLUGINS");
    assertThat(plugin).isEqualTo("flink-s3-fs-presto-" + version + ".jar");
  }

  @Test
  void thePodsAnnounceThePrometheusEndpointTheReporterServes() {
    Map<String, Object> conf = map(at(flink, "spec", "flinkConfiguration"));
    assertThat(conf)
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    String port = String.valueOf(conf.get("metrics.reporter.prom.port"));
    Map<String, Object> annotations =
        map(at(flink, "spec", "podTemplate", "metadata", "annotations"));
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", port);
    List<Object> ports = list(flinkMainContainer().get("ports"));
    assertThat(ports).anySatisfy(p -> assertThat(map(p).get("containerPort")).hasToString(port));
  }

  @Test
  void oneSidecarRunsWithOptionsItAcceptsAndItsStateOnAVolume() {
    Map<String, Object> spec = map(sidecar.get("spec"));
    assertThat(spec.get("replicas")).isEqualTo(1);
    assertThat(map(spec.get("strategy")).get("type"))
        .as("never two sidecars with one transactional id")
        .isEqualTo("Recreate");
    Map<String, Object> pod = map(at(sidecar, "spec", "template", "spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    List<String> args = strings(container.get("args"));
    assertThat(args.get(0)).isEqualTo("sidecar");

    List<String> withHelp = new ArrayList<>(args);
    withHelp.add("--help");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        FlinkLstm.run(withHelp.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertThat(exit).as("the sidecar's options parse: %s", err).isZero();
    assertThat(out.toString()).contains("Usage: flink-lstm sidecar");

    Map<String, String> mounts = new HashMap<>();
    for (Object m : list(container.get("volumeMounts"))) {
      mounts.put(String.valueOf(map(m).get("mountPath")), String.valueOf(map(m).get("name")));
    }
    String stateDir = args.get(args.indexOf("--state-dir") + 1);
    String stateVolume = mounts.get(stateDir);
    assertThat(stateVolume).as("a volume at --state-dir").isNotNull();
    Map<String, Object> volume =
        list(pod.get("volumes")).stream()
            .map(KubernetesManifestsTest::map)
            .filter(v -> stateVolume.equals(v.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(map(volume.get("persistentVolumeClaim")).get("claimName"))
        .isEqualTo(map(claim.get("metadata")).get("name"));

    String properties = args.get(args.indexOf("--kafka-properties") + 1);
    assertThat(mounts).containsKey(Path.of(properties).getParent().toString());
  }

  private static Map<String, Object> flinkMainContainer() {
    return list(at(flink, "spec", "podTemplate", "spec", "containers")).stream()
        .map(KubernetesManifestsTest::map)
        .filter(c -> "flink-main-container".equals(c.get("name")))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> env = new HashMap<>();
    for (Object e : list(container.get("env"))) {
      env.put(String.valueOf(map(e).get("name")), String.valueOf(map(e).get("value")));
    }
    return env;
  }

  private static Object at(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      node = map(node).get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    return (List<Object>) node;
  }

  private static List<String> strings(Object node) {
    return list(node).stream().map(String::valueOf).toList();
  }
}
