package io.flinklstm.local;

/**
 * Counters of a {@link LocalPipeline} run, as seen from outside the job.
 *
 * @param eventsSent events written to the events topic
 * @param scoresRead committed scores read back
 * @param anomalies of those, the ones flagged as anomalies
 * @param deadLettersRead committed dead letters read back
 * @param rounds training rounds ended
 * @param publishedVersion the newest version the sidecar published or started from, 0 before any
 */
public record Progress(
    long eventsSent,
    long scoresRead,
    long anomalies,
    long deadLettersRead,
    int rounds,
    long publishedVersion) {}
