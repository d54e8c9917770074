package io.flinklstm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a test needs from a Flink cluster's REST API: registered TaskManagers and slots, a job's
 * state and the state of its tasks, and its checkpoint counts. Read-only; JSON through Jackson.
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  FlinkRest(int port) {
    this.base = "http://localhost:" + port;
  }

  /** Whether the REST endpoint answers at all. */
  boolean answers() {
    try {
      get("/config");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** TaskManagers the ResourceManager knows now. */
  int taskManagers() throws IOException {
    return get("/overview").path("taskmanagers").asInt();
  }

  /** Free slots over all registered TaskManagers. */
  int availableSlots() throws IOException {
    return get("/overview").path("slots-available").asInt();
  }

  /** The job's status: CREATED, RUNNING, RESTARTING, FAILED, ... */
  String jobState(String jobId) throws IOException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Whether the job runs and every one of its tasks runs. */
  boolean allTasksRunning(String jobId) throws IOException {
    JsonNode job = get("/jobs/" + jobId);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode vertex : job.path("vertices")) {
      JsonNode tasks = vertex.path("tasks");
      int running = tasks.path("RUNNING").asInt();
      if (running != vertex.path("parallelism").asInt()) {
        return false;
      }
    }
    return true;
  }

  /** The highest parallelism of the job's vertices. */
  int highestParallelism(String jobId) throws IOException {
    int max = 0;
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      max = Math.max(max, vertex.path("parallelism").asInt());
    }
    return max;
  }

  long completedCheckpoints(String jobId) throws IOException {
    return checkpointCounts(jobId).path("completed").asLong();
  }

  /** How often the job was restored from a checkpoint. */
  long restoredCheckpoints(String jobId) throws IOException {
    return checkpointCounts(jobId).path("restored").asLong();
  }

  /** The job's root exception and history, for a failure message. */
  String exceptions(String jobId) {
    try {
      return get("/jobs/" + jobId + "/exceptions").toPrettyString();
    } catch (IOException e) {
      return "(no exceptions: " + e.getMessage() + ")";
    }
  }

  private JsonNode checkpointCounts(String jobId) throws IOException {
    return get("/jobs/" + jobId + "/checkpoints").path("counts");
  }

  private JsonNode get(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: GET " + path, e);
    }
  }

  /** The text a Prometheus server would scrape from {@code port}. */
  static String scrape(int port) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: scraping port " + port, e);
    }
  }
}
