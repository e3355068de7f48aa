package dev.faultline.detector;

/**
 * The faded weight, sum and sum of squares of the learned intervals, which give the mean
 * and standard deviation a {@link DetectorSnapshot} shows: the same memory as the
 * histogram's, so that what health shows is what the detector judges by.
 *
 * @param weight the faded count of intervals
 * @param sum the faded sum of the intervals in nanoseconds
 * @param sumOfSquares the faded sum of their squares
 */
record IntervalMoments(double weight, double sum, double sumOfSquares) {

	/** None learned yet. */
	static final IntervalMoments NONE = new IntervalMoments(0, 0, 0);

	/** Returns the moments with every weight faded by {@code decay} and the interval added. */
	IntervalMoments learn(double interval, double decay) {
		return new IntervalMoments(this.weight * decay + 1.0, this.sum * decay + interval,
				this.sumOfSquares * decay + interval * interval);
	}

	/** Returns the mean, or the given value while there is no weight. */
	double mean(double otherwise) {
		return (this.weight > 0) ? this.sum / this.weight : otherwise;
	}

	/** Returns the standard deviation, 0 while there is no weight. */
	double stdDeviation() {
		if (!(this.weight > 0)) {
			return 0.0;
		}
		double mean = this.sum / this.weight;
		double variance = this.sumOfSquares / this.weight - mean * mean;
		return (variance > 0.0) ? Math.sqrt(variance) : 0.0;
	}

}
