package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar {@code target/flink-lstm-job.jar} that {@code mvn package} builds for {@code flink
 * run}: its entry point, what it must carry (a Flink distribution has no Kafka connector), what it
 * must leave to the cluster (Flink, logging) and what the job never needs (ND4J, the broker).
 */
class JobJarITCase {
  private static final Path JOB_JAR = Path.of("target", "flink-lstm-job.jar");

  private static Set<String> entries;
  private static Attributes manifest;

  @BeforeAll
  static void readJar() throws IOException {
    assertThat(JOB_JAR).as("built by mvn package").isRegularFile();
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      entries = new TreeSet<>(jar.stream().map(JarEntry::getName).toList());
      manifest = jar.getManifest().getMainAttributes();
    }
  }

  @Test
  void runsTheJobCommandAndListsNoOtherJars() {
    assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("io.flinklstm.cli.JobMain");
    assertThat(manifest.getValue(Attributes.Name.CLASS_PATH)).isNull();
  }

  @Test
  void carriesTheJobAndTheConnectorsAFlinkDistributionLacks() {
    assertThat(entries)
        .contains(
            "io/flinklstm/cli/JobMain.class",
            "io/flinklstm/job/ScoringJob.class",
            "io/flinklstm/model/LstmModel.class",
            "io/flinklstm/detect/AnomalyDetector.class",
            "io/flinklstm/wire/WireJson.class",
            "org/apache/flink/connector/kafka/sink/KafkaSink.class",
            "org/apache/flink/connector/kafka/source/KafkaSource.class",
            "org/apache/flink/connector/base/DeliveryGuarantee.class",
            "org/apache/kafka/clients/producer/KafkaProducer.class",
            "com/github/luben/zstd/Zstd.class",
            "com/fasterxml/jackson/databind/ObjectMapper.class",
            "picocli/CommandLine.class");
  }

  @Test
  void carriesTheLicensesOfWhatItBundles() {
    assertThat(entries)
        .contains(
            "META-INF/LICENSE",
            "META-INF/NOTICE",
            "META-INF/licenses/zstd-jni.txt",
            "META-INF/licenses/lz4.txt",
            "META-INF/licenses/snappy.txt",
            "META-INF/FastDoubleParser-LICENSE");
  }

  @Test
  void leavesFlinkLoggingTrainingAndNd4jOut() {
    List<String> forbidden =
        List.of(
            "org/apache/flink/streaming/api/",
            "org/apache/flink/runtime/",
            "org/apache/flink/configuration/",
            "org/slf4j/",
            "org/apache/logging/log4j/",
            "org/nd4j/",
            "org/bytedeco/",
            "org/deeplearning4j/",
            "kafka/server/",
            "io/flinklstm/train/",
            "io/flinklstm/sidecar/",
            "io/flinklstm/importer/",
            "io/flinklstm/cli/FlinkLstm.class");
    for (String prefix : forbidden) {
      assertThat(entries).as("entries under %s", prefix).noneMatch(e -> e.startsWith(prefix));
    }
  }

  /** Run on Flink's classpath alone, the entry point refuses a bad option naming it. */
  @Test
  void aBadOptionFailsAtStartUpNamingIt() throws Exception {
    Path classpathFile = Path.of("target", "cluster", "flink-classpath.txt");
    String classpath =
        JOB_JAR + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "io.flinklstm.cli.JobMain",
                "--checkpoint-interval",
                "10s",
                "--transaction-timeout",
                "20s")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(output)
        .contains(
            "flink-lstm job: --transaction-timeout (PT20S) must exceed --checkpoint-interval");
  }

  /**
   * Every class of the project in the jar finds the project classes it uses in the jar too, and
   * none uses ND4J: a new dependency of the job on training code fails here, not on a cluster.
   */
  @Test
  void theProjectsClassesInTheJarNeedNothingLeftOut() throws IOException {
    JavaClasses classes;
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      classes =
          new ClassFileImporter()
              .withImportOption(location -> location.contains("/io/flinklstm/"))
              .importJar(jar);
    }
    Set<String> missing = new TreeSet<>();
    for (JavaClass c : classes) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        String name = target.getName();
        boolean project = name.startsWith("io.flinklstm.");
        boolean nd4j = name.startsWith("org.nd4j.") || name.startsWith("org.bytedeco.");
        if (nd4j || (project && !classes.contain(name))) {
          missing.add(c.getName() + " -> " + name);
        }
      }
    }
    assertThat(classes).as("project classes in the jar").hasSizeGreaterThan(50);
    assertThat(missing).isEmpty();
  }
}
