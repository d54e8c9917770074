package io.flinklstm.cluster;

import io.flinklstm.testutil.KafkaBroker;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A Kafka broker (KRaft, one combined node) of one test alone. The cluster test kills TaskManagers
 * in the middle of Kafka transactions and leaves many transactional ids behind; on a broker of its
 * own, none of that reaches the other integration tests, which share {@code testutil.KafkaBroker}.
 */
final class PrivateKafka implements AutoCloseable {
  private final KafkaClusterTestKit kit;
  private final Admin admin;

  private PrivateKafka(KafkaClusterTestKit kit, Admin admin) {
    this.kit = kit;
    this.admin = admin;
  }

  static PrivateKafka start() throws Exception {
    KafkaClusterTestKit kit = KafkaBroker.startSingleNode();
    try {
      return new PrivateKafka(
          kit,
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers())));
    } catch (RuntimeException e) {
      kit.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Creates the topics with the given number of partitions and waits until they exist. */
  void createTopics(int partitions, String... names) {
    KafkaBroker.createTopics(admin, partitions, names);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    kit.close();
  }
}
