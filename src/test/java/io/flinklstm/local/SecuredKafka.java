package io.flinklstm.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A Kafka broker in the test JVM that is secured like a company cluster: one KRaft node (broker and
 * controller at once) on free ports of 127.0.0.1 whose client listener takes SASL/SCRAM-SHA-512
 * over TLS only, and which enforces ACLs (nothing is allowed that no ACL allows). Tests create
 * users with {@link #addUser}, grant them rights with {@link #allow}, and give clients the settings
 * of {@link #clientProperties}.
 *
 * <p>The TLS certificate is self-signed for {@code CN=localhost} with the subject alternative names
 * {@code 127.0.0.1} and {@code localhost}, made at start with the JDK's {@code keytool}; clients
 * trust it through a truststore in the broker's directory and check the host name as usual.
 *
 * <p>Test shortcut: besides the secured listener the broker has a plaintext listener ({@link
 * #internalBootstrapServers}) for its own replication traffic and for the fixture's admin work, and
 * every connection there (user {@code ANONYMOUS}) is a super user. The controller listener is
 * plaintext as well. A real cluster must not expose such a listener; here it only listens on the
 * loopback address for the life of a test.
 */
public final class SecuredKafka implements AutoCloseable {
  private static final String CLIENT = "CLIENT";
  private static final String INTERNAL = "INTERNAL";
  private static final String CONTROLLER = "CONTROLLER";
  private static final String MECHANISM = "SCRAM-SHA-512";
  private static final String ALIAS = "broker";
  private static final int SCRAM_ITERATIONS = 4096;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final String internalBootstrapServers;
  private final Path truststore;
  private final String storePassword;
  private Admin admin;

  private SecuredKafka(
      KafkaRaftServer server,
      String bootstrapServers,
      String internalBootstrapServers,
      Path truststore,
      String storePassword) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.internalBootstrapServers = internalBootstrapServers;
    this.truststore = truststore;
    this.storePassword = storePassword;
  }

  /**
   * Makes the TLS key pair and truststore in {@code dir} (an empty or missing directory), formats a
   * log directory under it and starts the broker; returns once it answers requests.
   *
   * @throws IOException if the directory, the certificate or the broker cannot be set up
   */
  public static SecuredKafka start(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path logDir = dir.resolve("log");
    Path keystore = dir.resolve("broker.keystore.p12");
    Path truststore = dir.resolve("client.truststore.p12");
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String storePassword = HexFormat.of().formatHex(secret);
    makeKeyPair(keystore, truststore, storePassword);

    int[] ports = EmbeddedKafka.freePorts(3);
    int clientPort = ports[0];
    int internalPort = ports[1];
    int controllerPort = ports[2];
    Properties props =
        properties(logDir, clientPort, internalPort, controllerPort, keystore, storePassword);
    KafkaRaftServer server = EmbeddedKafka.formatted(dir, props);
    SecuredKafka kafka =
        new SecuredKafka(
            server,
            "127.0.0.1:" + clientPort,
            "127.0.0.1:" + internalPort,
            truststore,
            storePassword);
    try {
      server.startup();
      kafka.admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.internalBootstrapServers));
      kafka.awaitReady();
    } catch (RuntimeException | IOException e) {
      kafka.close();
      throw e instanceof IOException io ? io : new IOException("Kafka did not start: " + e, e);
    }
    return kafka;
  }

  /** {@code host:port} of the SASL_SSL listener, the one that clients under test use. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * {@code host:port} of the plaintext listener where every connection is a super user. For setup
   * and checks that must not depend on ACLs; never for the code under test.
   */
  public String internalBootstrapServers() {
    return internalBootstrapServers;
  }

  /**
   * Creates (or changes the password of) a SCRAM-SHA-512 user and waits until the user can log in
   * on the secured listener.
   */
  public void addUser(String name, String password) {
    call(
        "add user " + name,
        () ->
            admin
                .alterUserScramCredentials(
                    List.of(
                        new UserScramCredentialUpsertion(
                            name,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            password)))
                .all()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    awaitLogin(name, password);
  }

  /**
   * Allows {@code user} the given operations on the resources that {@code name} and {@code pattern}
   * match, from any host, and waits until the broker enforces the new ACLs.
   */
  public void allow(
      String user,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation... operations) {
    ResourcePattern resource = new ResourcePattern(type, name, pattern);
    List<AclBinding> bindings =
        Arrays.stream(operations)
            .map(
                op ->
                    new AclBinding(
                        resource,
                        new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)))
            .toList();
    call(
        "create ACLs " + bindings,
        () -> admin.createAcls(bindings).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    // ACLs are written through the controller; the broker's authorizer applies them a moment
    // later, and DescribeAcls answers from that authorizer.
    AclBindingFilter filter =
        new AclBindingFilter(
            new ResourcePatternFilter(type, name, pattern), AccessControlEntryFilter.ANY);
    awaitCondition(
        "ACLs " + bindings,
        () ->
            admin
                .describeAcls(filter)
                .values()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .containsAll(bindings));
  }

  /** Creates topics of one partition and waits until the broker knows their leaders. */
  public void createTopics(String... names) {
    createTopics(1, Map.of(), names);
  }

  /**
   * Creates topics with the given number of partitions and topic configuration (for example {@code
   * cleanup.policy=compact}) and waits until the broker knows their leaders.
   */
  public void createTopics(int partitions, Map<String, String> config, String... names) {
    List<NewTopic> topics =
        Arrays.stream(names)
            .map(n -> new NewTopic(n, partitions, (short) 1).configs(config))
            .toList();
    call(
        "create topics " + Arrays.toString(names),
        () -> admin.createTopics(topics).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    awaitCondition(
        "leaders of " + Arrays.toString(names),
        () -> {
          Collection<TopicDescription> described =
              admin
                  .describeTopics(List.of(names))
                  .allTopicNames()
                  .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                  .values();
          return described.stream()
              .allMatch(
                  d ->
                      d.partitions().size() == partitions
                          && d.partitions().stream().allMatch(p -> p.leader() != null));
        });
  }

  /**
   * What a client needs to log in on {@link #bootstrapServers} as {@code user}: SASL_SSL with
   * SCRAM-SHA-512 and the truststore holding the broker's certificate. The bootstrap servers are
   * not included.
   */
  public Map<String, String> clientProperties(String user, String password) {
    Map<String, String> p = new HashMap<>();
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    p.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + jaasEscape(user)
            + "\" password=\""
            + jaasEscape(password)
            + "\";");
    p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toAbsolutePath().toString());
    p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, storePassword);
    p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    return Map.copyOf(p);
  }

  /** Shuts the broker down and waits until it has stopped. */
  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(
      Path logDir,
      int clientPort,
      int internalPort,
      int controllerPort,
      Path keystore,
      String storePassword) {
    String client = "listener.name." + CLIENT.toLowerCase() + ".";
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners",
        CLIENT
            + "://127.0.0.1:"
            + clientPort
            + ","
            + INTERNAL
            + "://127.0.0.1:"
            + internalPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    p.setProperty(
        "advertised.listeners",
        CLIENT + "://127.0.0.1:" + clientPort + "," + INTERNAL + "://127.0.0.1:" + internalPort);
    p.setProperty(
        "listener.security.protocol.map",
        CLIENT + ":SASL_SSL," + INTERNAL + ":PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    p.setProperty("controller.listener.names", CONTROLLER);
    p.setProperty("inter.broker.listener.name", INTERNAL);

    // SASL/SCRAM on the client listener. The server side of SCRAM needs the login module but no
    // credentials of its own; the users' credentials live in the cluster metadata.
    p.setProperty("sasl.enabled.mechanisms", MECHANISM);
    p.setProperty(client + "sasl.enabled.mechanisms", MECHANISM);
    p.setProperty(
        client + MECHANISM.toLowerCase() + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");

    // TLS on the client listener; clients are not asked for certificates.
    p.setProperty(client + "ssl.keystore.location", keystore.toAbsolutePath().toString());
    p.setProperty(client + "ssl.keystore.password", storePassword);
    p.setProperty(client + "ssl.key.password", storePassword);
    p.setProperty(client + "ssl.keystore.type", "PKCS12");
    p.setProperty(client + "ssl.client.auth", "none");

    // ACLs. The plaintext listeners (inter-broker, the fixture's admin work and the controller)
    // authenticate nobody, so their principal User:ANONYMOUS must be a super user.
    p.setProperty(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.setProperty("allow.everyone.if.no.acl.found", "false");
    p.setProperty("super.users", "User:ANONYMOUS");

    p.putAll(EmbeddedKafka.singleNode(logDir));
    return p;
  }

  /**
   * A self-signed RSA key pair for {@code CN=localhost} (SAN 127.0.0.1 and localhost) in a PKCS12
   * keystore, made by the JDK's keytool, and a PKCS12 truststore holding its certificate.
   */
  private static void makeKeyPair(Path keystore, Path truststore, String password)
      throws IOException {
    Files.deleteIfExists(keystore);
    Files.deleteIfExists(truststore);
    keytool(
        "-genkeypair",
        "-alias",
        ALIAS,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "30",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password,
        "-keypass",
        password);
    // The truststore is written here rather than by two more keytool runs (export, import): each
    // run starts a JVM, which costs seconds on a busy machine.
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        keys.load(in, password.toCharArray());
      }
      Certificate certificate = keys.getCertificate(ALIAS);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, certificate);
      try (OutputStream out = Files.newOutputStream(truststore)) {
        trust.store(out, password.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the truststore " + truststore, e);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool " + args[0] + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while keytool runs", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  private void awaitReady() throws IOException {
    try {
      awaitCondition(
          "the broker at " + internalBootstrapServers,
          () -> !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Waits until {@code user} logs in on the secured listener with {@code password}. */
  private void awaitLogin(String user, String password) {
    Map<String, Object> config = new HashMap<>(clientProperties(user, password));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      // An admin client keeps a failed authentication for good, so each attempt needs a new one.
      try (Admin probe = Admin.create(config)) {
        probe.describeCluster().nodes().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SaslAuthenticationException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException("user " + user + " cannot log in", e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("user " + user + " cannot log in", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for user " + user, e);
      }
      pause();
    }
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void call(String what, Call call) {
    try {
      call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("cannot " + what + ": " + e, e);
    }
  }

  private static void awaitCondition(String what, Check check) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (check.done()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what, last);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Escapes a value for a double-quoted string of a JAAS configuration. */
  private static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
