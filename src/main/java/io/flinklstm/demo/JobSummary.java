package io.flinklstm.demo;

/**
 * The scoring job's settings as the report shows them.
 *
 * @param threshold the anomaly likelihood at which an event is flagged
 * @param detector the detector's windows, in words
 * @param policies the swap and cold-start policies, in words
 */
public record JobSummary(double threshold, String detector, String policies) {}
