package io.flinklstm.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.job.ScoringJob;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink MiniCluster in this JVM (one TaskManager, one slot per subtask) running the scoring job,
 * with its REST endpoint on a free port of 127.0.0.1. The job is set up as {@link ScoringJob#run}
 * sets it up ({@link ScoringJob#configuration}): exactly-once checkpoints to files,
 * exponential-delay restarts, no generic types.
 *
 * <p>What each scoring subtask serves is read from the REST metrics endpoint, as any monitoring
 * would read it; the cluster refreshes those metrics every {@link #METRICS_REFRESH}.
 */
public final class LocalFlink implements AutoCloseable {
  static final Duration METRICS_REFRESH = Duration.ofMillis(200);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String SCORING_VERTEX = "LSTM scoring";

  private final MiniCluster cluster;
  private final JobID jobId;
  private final URI rest;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private LocalFlink(MiniCluster cluster, JobID jobId, URI rest) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.rest = rest;
  }

  /** Starts the cluster and submits the job; closes the cluster again if the job fails to start. */
  public static LocalFlink start(
      KafkaJobConfig kafka,
      ScoringConfig scoring,
      int parallelism,
      Path checkpointDir,
      String jobName)
      throws Exception {
    kafka.validate();
    Configuration clusterConf = new Configuration();
    clusterConf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    clusterConf.set(RestOptions.ADDRESS, "127.0.0.1");
    clusterConf.set(RestOptions.BIND_PORT, "0");
    clusterConf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, METRICS_REFRESH);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
    try {
      cluster.start();
      URI rest = cluster.getRestAddress().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      StreamGraph graph = graph(kafka, scoring, parallelism, checkpointDir);
      graph.setJobName(jobName);
      JobID id =
          cluster.submitJob(graph).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS).getJobID();
      return new LocalFlink(cluster, id, rest);
    } catch (Exception e) {
      cluster.closeAsync().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      throw e;
    }
  }

  private static StreamGraph graph(
      KafkaJobConfig kafka, ScoringConfig scoring, int parallelism, Path checkpointDir) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            ScoringJob.configuration(kafka, checkpointDir.toUri().toString()));
    env.setParallelism(parallelism);
    ScoringJob.build(env, kafka, scoring);
    return env.getStreamGraph();
  }

  public JobStatus status() throws Exception {
    return cluster.getJobStatus(jobId).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The version of {@code model} each scoring subtask serves, by subtask index; subtasks that have
   * none yet are missing. The values lag the subtasks by up to {@link #METRICS_REFRESH}.
   */
  public Map<Integer, Long> servedVersions(String model) throws IOException, InterruptedException {
    String suffix = ".model." + model + ".version";
    Map<Integer, Long> versions = new TreeMap<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      if (!vertex.path("name").asText().contains(SCORING_VERTEX)) {
        continue;
      }
      String base = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(base)) {
        String id = m.path("id").asText();
        if (id.endsWith(suffix) && Character.isDigit(id.charAt(0))) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode m : get(base + "?get=" + query)) {
        String id = m.path("id").asText();
        int subtask = Integer.parseInt(id.substring(0, id.indexOf('.')));
        versions.put(subtask, Long.parseLong(m.path("value").asText()));
      }
    }
    return versions;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(rest.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  /** Cancels the job, waits until it stopped, and shuts the cluster down. */
  @Override
  public void close() throws Exception {
    try {
      if (!status().isGloballyTerminalState()) {
        cluster.cancelJob(jobId).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (!status().isGloballyTerminalState() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
    } finally {
      cluster.closeAsync().get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
