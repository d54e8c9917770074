#!/usr/bin/env python3
"""Reference values for AnomalyDetectorTest: the detector's definitions transcribed in double
precision (math.erfc for the normal tail, scipy.stats.chi2.sf for the chi-square tail), run over the
test's eight events. Prints, per event, the raw score, the tail 1 - likelihood, the log-likelihood
and the flag; and the chi-square tails ChiSquareTest checks.

    python3 scripts/detector_reference.py      (needs python3-scipy)
"""
import math

from scipy.stats import chi2

MIN_ERROR_STD = 1e-4
LOG_FLOOR = 1e-10


def upper(z):
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def run(errors, warmup, settle, error_window, short_window, long_window, threshold, quiet,
        dimension):
    seen = 0
    error_mean = error_var = long_mean = long_var = short_mean = 0.0
    last_flag = 0
    a = 1.0 / short_window
    min_recent_std = math.sqrt((1.0 / 12) * a / (2 - a))
    rows = []
    for e in errors:
        seen += 1
        n = seen
        k = n - settle
        if k <= 0:
            rows.append((0.5, 0.5, math.log(0.5) / math.log(LOG_FLOOR), False))
            continue
        z = 0.0 if k == 1 else (e - error_mean) / max(MIN_ERROR_STD, math.sqrt(error_var))
        raw = 1.0 - upper(z)
        if dimension == 0 or k == 1:
            single = 1.0
        else:
            mean_square = max(MIN_ERROR_STD ** 2, error_var + error_mean ** 2)
            single = chi2.sf(dimension * e * e / mean_square, dimension)
        short_mean += (1.0 / min(k, short_window)) * (raw - short_mean)
        tail = 0.5 if k == 1 else upper(
            (short_mean - long_mean) / max(min_recent_std, math.sqrt(long_var)))
        w = 1.0 / min(k, long_window)
        d = short_mean - long_mean
        long_mean += w * d
        long_var = (1 - w) * (long_var + w * d * d)
        w = 1.0 / min(k, error_window)
        d = e - error_mean
        error_mean += w * d
        error_var = (1 - w) * (error_var + w * d * d)
        tail = min(tail, single)
        log = 1.0 if not tail > LOG_FLOOR else max(0.0, math.log(tail) / math.log(LOG_FLOOR))
        quiet_now = last_flag > 0 and n - last_flag <= quiet
        flag = n > warmup and not quiet_now and 1.0 - tail >= threshold
        if flag:
            last_flag = n
        rows.append((raw, tail, log, flag))
    return rows


def main():
    errors = [5, 1, 2, 1.5, 1.5 + 2 * math.sqrt(1 / 6.0), 3, 3, 0.5]
    for name, dimension in (("errors, one value per event", 1), ("errors, three values per event", 3),
                            ("surprises", 0)):
        print(name)
        for i, (raw, tail, log, flag) in enumerate(run(errors, 2, 1, 100, 2, 100, 0.88, 3,
                                                       dimension), 1):
            print(f"  {i}: raw={float(raw)!r} tail={float(tail)!r} log={float(log)!r} flag={flag}")
    print("chi-square upper tails")
    for x, k in ((0.5, 1), (3.841458820694124, 1), (10.0, 1), (7.814727903251178, 3), (40.0, 3),
                 (2.0, 2), (9.21034037197618, 2), (23.209251158954356, 10), (1.0, 38), (80.0, 38)):
        print(f"  x={x!r} k={k}: {float(chi2.sf(x, k))!r}")


if __name__ == "__main__":
    main()
