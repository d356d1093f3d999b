package dev.brownout.migration;

/**
 * The standard normal distribution: its distribution function and its quantiles, to the precision a
 * decision about error rates needs (absolute error under 1e-7 for the one, relative error under
 * 1.2e-9 for the other).
 */
final class Normal {

  private Normal() {}

  /** P(Z ≤ z) for a standard normal Z, through the complementary error function. */
  static double cdf(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /**
   * erfc by a Chebyshev fit (Numerical Recipes' erfcc, fractional error under 1.2e-7 everywhere).
   */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /** The z with P(Z ≤ z) = p, for 0 < p < 1 (P. J. Acklam's rational approximation). */
  static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("a probability strictly between 0 and 1, but was " + p);
    }
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return tail(q);
    }
    if (p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -tail(q);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                            + 1.383577518672690e+02)
                        * r
                    - 3.066479806614716e+01)
                * r
            + 2.506628277459239e+00)
        * q
        / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                            + 6.680131188771972e+01)
                        * r
                    - 1.328068155288572e+01)
                * r
            + 1);
  }

  private static double tail(double q) {
    return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                            - 2.549732539343734e+00)
                        * q
                    + 4.374664141464968e+00)
                * q
            + 2.938163982698783e+00)
        / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00)
                * q
            + 1);
  }

  /**
   * The upper end of the Wilson score interval of {@code successes} in {@code trials} at normal
   * quantile {@code z}: 1 for no trials.
   */
  static double wilsonUpper(long successes, long trials, double z) {
    if (trials <= 0) {
      return 1.0;
    }
    double z2 = z * z;
    double p = (double) successes / trials;
    double centre = p + z2 / (2.0 * trials);
    double spread = z * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * (double) trials));
    return Math.min(1.0, (centre + spread) / (1 + z2 / trials));
  }

  /** P(X ≥ k) for X binomial with {@code n} trials of chance {@code p}, summed in log space. */
  static double binomialUpperTail(long k, long n, double p) {
    if (k <= 0) {
      return 1.0;
    }
    if (k > n || p <= 0) {
      return 0.0;
    }
    if (p >= 1) {
      return 1.0;
    }
    double logTerm = k * Math.log(p) + (n - k) * Math.log1p(-p);
    for (long j = 1; j <= k; j++) {
      logTerm += Math.log((double) (n - k + j) / j);
    }
    double term = Math.exp(logTerm);
    double sum = 0;
    double odds = p / (1 - p);
    for (long i = k; i <= n && term > 0; i++) {
      sum += term;
      term *= (double) (n - i) / (i + 1) * odds;
    }
    return Math.min(1.0, sum);
  }
}
