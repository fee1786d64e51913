package org.ringkernel.data.frame;

/**
 * Summary statistics of one column, over its non-null rows.
 *
 * @param column the column's name
 * @param count how many rows hold a value
 * @param nulls how many rows are null (skipped)
 * @param sum the sum of the values
 * @param mean their mean, NaN when there is none
 * @param std their standard deviation, {@code sqrt(M2 / (count - ddof))}: 0 when {@code count <= ddof}
 * @param min the smallest value, NaN when there is none
 * @param max the largest value, NaN when there is none
 */
public record ColumnStats(String column, long count, long nulls, double sum, double mean, double std, double min,
                          double max) {
}
