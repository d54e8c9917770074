package io.flinklstm.demo;

/**
 * How one anomaly changes a key's series: its labelled window, the events it spans and what it does
 * there.
 *
 * @param window the label
 * @param first index of the first anomalous event
 * @param last index of the last anomalous event, inclusive
 * @param channels bit i set when channel i is changed (every channel for a frequency change)
 * @param amount the offset, in units of each channel's daily amplitude, of a spike or a level
 *     shift; the speed factor of the daily cycle for a frequency change; unused for a stuck sensor
 */
record Injection(AnomalyWindow window, int first, int last, int channels, double amount) {

  boolean changes(int channel) {
    return (channels & (1 << channel)) != 0;
  }
}
