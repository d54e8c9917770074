package io.flinklstm.wire;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client properties a user gives (security, timeouts, client ids, ...), applied to every
 * consumer, producer and admin client the project makes: what a secured cluster needs (SASL, TLS)
 * and whatever else a client takes.
 *
 * <p>Each client puts its own required settings over them ({@link #forClient}): the bootstrap
 * servers, reading only committed records, transactions and their ids, consumer groups,
 * serialisers. A user value for one of those ({@link #RESERVED}) is replaced where the project sets
 * it, and {@link #reservedKeys()} names them so a command can say so at start-up.
 *
 * <p>Immutable. {@link #toString()} shows the keys only, never a value: the values hold passwords.
 */
public final class KafkaClientProperties {
  /** No properties of the user's: every client with the project's settings alone. */
  public static final KafkaClientProperties NONE = new KafkaClientProperties(new TreeMap<>());

  /** Settings the project's clients make themselves, where they need them. */
  public static final Set<String> RESERVED =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "group.instance.id",
          "isolation.level",
          "enable.auto.commit",
          "auto.offset.reset",
          "transactional.id",
          "transaction.timeout.ms",
          "enable.idempotence",
          "acks",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer");

  private final TreeMap<String, String> values;

  private KafkaClientProperties(TreeMap<String, String> values) {
    this.values = values;
  }

  /**
   * These properties.
   *
   * @throws IllegalArgumentException for a blank key or a missing value
   */
  public static KafkaClientProperties of(Map<String, String> values) {
    TreeMap<String, String> copy = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a Kafka property needs a name, as KEY=VALUE");
          }
          if (value == null) {
            throw new IllegalArgumentException("Kafka property " + key + " has no value");
          }
          copy.put(key.trim(), value);
        });
    return new KafkaClientProperties(copy);
  }

  /**
   * The properties of a Java properties file, as Kafka's own tools take them ({@code
   * --command-config}).
   *
   * @throws IOException when the file cannot be read
   */
  public static KafkaClientProperties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    TreeMap<String, String> values = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      values.put(key, p.getProperty(key));
    }
    return of(values);
  }

  /** These properties with {@code more} over them. */
  public KafkaClientProperties with(KafkaClientProperties more) {
    TreeMap<String, String> merged = new TreeMap<>(values);
    merged.putAll(more.values);
    return new KafkaClientProperties(merged);
  }

  /** The properties, by key. */
  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The user's keys among {@link #RESERVED}, whose values are replaced where the project sets them.
   */
  public List<String> reservedKeys() {
    return values.keySet().stream().filter(RESERVED::contains).toList();
  }

  /** A client's properties: these, with the client's own {@code required} settings over them. */
  public Properties forClient(Map<String, String> required) {
    Properties p = new Properties();
    p.putAll(values);
    p.putAll(required);
    return p;
  }

  /**
   * A producer's properties for sending events, each once even when retried: these, with the
   * bootstrap servers, idempotence and {@code acks=all} over them, and a linger of 5 ms unless
   * these set one.
   */
  public Properties eventProducer(String bootstrapServers) {
    Properties p =
        forClient(
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "enable.idempotence",
                "true",
                "acks",
                "all"));
    p.putIfAbsent("linger.ms", "5");
    return p;
  }

  /**
   * A transactional producer's properties: these, with the bootstrap servers, the transactional id,
   * idempotence, {@code acks=all} and {@code more} over them.
   */
  public Properties transactionalProducer(
      String bootstrapServers, String transactionalId, Map<String, String> more) {
    Map<String, String> required = new LinkedHashMap<>();
    required.put("bootstrap.servers", bootstrapServers);
    required.put("transactional.id", transactionalId);
    required.put("enable.idempotence", "true");
    required.put("acks", "all");
    required.putAll(more);
    return forClient(required);
  }

  /**
   * A consumer's properties for reading committed records only, committing no offsets by itself:
   * these, with the bootstrap servers, {@code isolation.level=read_committed}, {@code
   * enable.auto.commit=false} and {@code more} over them.
   */
  public Properties committedReader(String bootstrapServers, Map<String, String> more) {
    Map<String, String> required = new LinkedHashMap<>();
    required.put("bootstrap.servers", bootstrapServers);
    required.put("isolation.level", "read_committed");
    required.put("enable.auto.commit", "false");
    required.putAll(more);
    return forClient(required);
  }

  /** The keys, in order, with every value hidden. */
  @Override
  public String toString() {
    return values.isEmpty() ? "{}" : "{" + String.join(", ", values.keySet()) + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaClientProperties other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }
}
