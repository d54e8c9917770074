package io.flinklstm.demo;

/**
 * Whether one labelled window was found, and how late.
 *
 * @param window the label
 * @param found whether a flag fell inside it or within the tolerance after it
 * @param firstFlagTs event time of the first such flag; meaningful only when found
 * @param delayEvents the key's scored events from the window's start up to, not including, the
 *     first flag: 0 when the very first event of the window is flagged, and when not found
 */
public record WindowOutcome(AnomalyLabel window, boolean found, long firstFlagTs, int delayEvents) {

  /** First flag minus window start, in milliseconds of event time. */
  public long delayMillis() {
    if (!found) {
      throw new IllegalStateException("a window that was not found has no delay");
    }
    return firstFlagTs - window.startTs();
  }
}
