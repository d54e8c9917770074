package io.flinklstm.cluster;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Whether configuration keys are the current names of Flink 2.2 options: a misspelt or pre-2.0 key
 * is silently ignored by Flink, which is how configuration files usually break.
 */
final class FlinkOptionKeys {
  /** Where Flink 2.2 defines the options the project's configurations set. */
  private static final List<Class<?>> OPTION_CLASSES =
      List.of(
          BlobServerOptions.class,
          CheckpointingOptions.class,
          CoreOptions.class,
          ExecutionOptions.class,
          HighAvailabilityOptions.class,
          JobManagerOptions.class,
          MetricOptions.class,
          PipelineOptions.class,
          RestOptions.class,
          RestartStrategyOptions.class,
          StateBackendOptions.class,
          TaskManagerOptions.class);

  /** Options of the Prometheus reporter, which live in its own jar, keyed per reporter name. */
  private static final Set<String> PROMETHEUS_REPORTER_KEYS =
      Set.of("metrics.reporter.prom.factory.class", "metrics.reporter.prom.port");

  private FlinkOptionKeys() {}

  /** Each key Flink would ignore or read only by an old name, with what is wrong with it. */
  static Map<String, String> problems(Collection<String> keys) throws IllegalAccessException {
    Map<String, String> current = new HashMap<>();
    Map<String, String> replacedBy = new HashMap<>();
    for (Class<?> options : OPTION_CLASSES) {
      for (Field field : options.getFields()) {
        if (Modifier.isStatic(field.getModifiers())
            && ConfigOption.class.isAssignableFrom(field.getType())) {
          ConfigOption<?> option = (ConfigOption<?>) field.get(null);
          current.put(option.key(), options.getSimpleName() + "." + field.getName());
          for (FallbackKey old : option.fallbackKeys()) {
            replacedBy.put(old.getKey(), option.key());
          }
        }
      }
    }
    Map<String, String> problems = new TreeMap<>();
    for (String key : keys) {
      if (PROMETHEUS_REPORTER_KEYS.contains(key) || current.containsKey(key)) {
        continue;
      }
      problems.put(
          key,
          replacedBy.containsKey(key)
              ? "an old name of " + replacedBy.get(key)
              : "not an option of Flink 2.2");
    }
    return problems;
  }
}
