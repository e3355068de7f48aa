package dev.faultline.detector;

/**
 * An exponential tail of the intervals, {@code S(t) = share·e^(−(t − from)/scale)} for
 * {@code t > from}: what the histogram says nothing about beyond the intervals it holds,
 * fitted to the longest intervals (see {@link LongestIntervals#tail}) or to the latest
 * ones once they surprised the detector (see {@link RecentIntervals#tail()}).
 *
 * @param from where the tail begins
 * @param share the share of the weight beyond {@code from}
 * @param scale the mean excess over {@code from}, in nanoseconds
 */
record ExponentialTail(double from, double share, double scale) {

	/** S at a silence, 0 up to {@code from}, where the tail has no say. */
	double at(double t) {
		return (t > this.from) ? this.share * Math.exp(-(t - this.from) / this.scale) : 0.0;
	}

}
