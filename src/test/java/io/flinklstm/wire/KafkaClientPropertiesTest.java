package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\""
          + " password=\"s3cret\";";

  @Test
  void aClientGetsTheUsersPropertiesUnderItsOwn() {
    KafkaClientProperties user =
        KafkaClientProperties.of(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", JAAS,
                "isolation.level", "read_uncommitted"));
    Properties client =
        user.forClient(Map.of("bootstrap.servers", "k:9093", "isolation.level", "read_committed"));
    assertThat(client)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("bootstrap.servers", "k:9093")
        .containsEntry("isolation.level", "read_committed");
    assertThat(user.reservedKeys()).containsExactly("isolation.level");
  }

  @Test
  void aPropertiesFileReadsAsKafkasToolsReadIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "# a comment\n"
            + "security.protocol=SASL_SSL\n"
            + "sasl.mechanism = SCRAM-SHA-512\n"
            + "sasl.jaas.config="
            + JAAS.replace("\"", "\\\"")
            + "\n");
    KafkaClientProperties read = KafkaClientProperties.read(file);
    assertThat(read.values())
        .containsExactly(
            Map.entry("sasl.jaas.config", JAAS),
            Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
            Map.entry("security.protocol", "SASL_SSL"));
    Map<String, String> single = new LinkedHashMap<>();
    single.put("sasl.mechanism", "PLAIN");
    assertThat(read.with(KafkaClientProperties.of(single)).values())
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void itsTextShowsNoValue() {
    KafkaClientProperties p =
        KafkaClientProperties.of(Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "pw"));
    assertThat(p.toString())
        .isEqualTo("{sasl.jaas.config, ssl.truststore.password}")
        .doesNotContain("s3cret")
        .doesNotContain("pw}");
    assertThat(KafkaClientProperties.NONE.toString()).isEqualTo("{}");
  }

  @Test
  void aPropertyNeedsAName() {
    Map<String, String> blank = new LinkedHashMap<>();
    blank.put(" ", "x");
    assertThatThrownBy(() -> KafkaClientProperties.of(blank))
        .hasMessageContaining("a Kafka property needs a name");
  }
}
