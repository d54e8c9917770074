#!/usr/bin/env python3
"""Reference values for AnomalyDetectorTest: the detector's definitions (AnomalyDetector's class
documentation) transcribed independently in double precision, with math.erfc for the normal tail,
and run over the test's events, as errors of numeric events and as the surprises of symbols. Prints, per event, the raw score, the recent mean, the tail
1 - likelihood, the confidence and the flag.

    python3 scripts/detector_reference.py
"""
import math

MIN_ERROR_STD = 1e-4
MEAN_FLOOR = 0.03
VARIANCE_FLOOR = 3e-4
LOG_FLOOR = 1e-10


def upper(z):
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def log_likelihood(tail):
    return 1.0 if not tail > LOG_FLOOR else max(0.0, math.log(tail) / math.log(LOG_FLOOR))


def run(events, warmup, settle, error_window, raw_z, short_window, long_window, threshold,
        edge, quiet, tolerance):
    """events: (error, values) pairs; values None for a symbol's surprise (no range rule)."""
    seen = 0
    error_mean = error_var = long_mean = long_var = 0.0
    recent = []
    in_red = False
    last_flag = 0
    lo = hi = None
    red_tail = 1.0 - threshold
    rows = []
    for error, values in events:
        out_of_range = False
        if values is not None:
            if lo is None:
                lo, hi = list(values), list(values)
            else:
                tol = tolerance * (1 + math.log(len(values)))
                for i, v in enumerate(values):
                    if hi[i] > lo[i] and (v > hi[i] + tol * (hi[i] - lo[i])
                                          or v < lo[i] - tol * (hi[i] - lo[i])):
                        out_of_range = True
                    lo[i], hi[i] = min(lo[i], v), max(hi[i], v)
        flat = values is not None and all(h <= l for l, h in zip(lo, hi))
        seen += 1
        n = seen
        warming = n <= warmup
        k = n - settle
        if k <= 0:
            in_red = False
            rows.append((0.0, None, 0.5, 0.0, False))
            continue
        z = 0.0 if k == 1 else (error - error_mean) / max(MIN_ERROR_STD, math.sqrt(error_var))
        surprise = values is None
        # A surprise's raw score is the normal CDF of z; an error's is clipped and scaled.
        raw = 1.0 - upper(z) if surprise else min(1.0, max(0.0, z / raw_z))
        recent = (recent + [raw])[-short_window:]
        m = sum(recent) / len(recent)
        mean_floor = 0.0 if surprise else MEAN_FLOOR
        variance_floor = 1.0 / (12.0 * short_window) if surprise else VARIANCE_FLOOR
        if flat or k == 1:
            tail = 0.5
        else:
            tail = upper((m - max(mean_floor, long_mean)) / math.sqrt(max(variance_floor, long_var)))
        w = 1.0 / min(k, long_window)
        d = m - long_mean
        long_mean += w * d
        long_var = (1 - w) * (long_var + w * d * d)
        w = 1.0 / min(k, error_window)
        d = error - error_mean
        error_mean += w * d
        error_var = (1 - w) * (error_var + w * d * d)
        red = tail <= red_tail
        run_continues = edge and red and in_red
        in_red = red
        reported = max(tail, math.sqrt(red_tail)) if run_continues else tail
        range_fires = out_of_range and tolerance >= 0
        quiet_now = last_flag > 0 and n - last_flag <= quiet
        if warming or quiet_now:
            rows.append((raw, m, tail, 0.0, False))
            continue
        confidence = 1.0 if range_fires else log_likelihood(reported)
        flag = range_fires or (red and not run_continues)
        if flag:
            last_flag = n
        rows.append((raw, m, tail, confidence, flag))
    return rows


def show(name, rows):
    print(name)
    for i, (raw, m, tail, confidence, flag) in enumerate(rows, 1):
        print(f"  {i}: raw={raw!r} recent={m!r} tail={tail!r} confidence={confidence!r}"
              f" flag={flag}")


def main():
    errors = [5, 1, 2, 2, 3, 3, 3, 0.5, 1, 4]
    # Values that keep widening the range, so the key is never flat; the range rule is off here.
    show("errors (range rule off)",
         run([(e, [float(i)]) for i, e in enumerate(errors)], 2, 1, 100, 2.0, 2, 100, 0.9, True,
             0, -1.0))
    show("the same errors without the edge trigger",
         run([(e, [float(i)]) for i, e in enumerate(errors)], 2, 1, 100, 2.0, 2, 100, 0.9, False,
             0, -1.0))
    show("the same errors as surprises, quiet period 2",
         run([(e, None) for e in errors], 2, 1, 100, 2.0, 2, 100, 0.9, True, 2, -1.0))


if __name__ == "__main__":
    main()
