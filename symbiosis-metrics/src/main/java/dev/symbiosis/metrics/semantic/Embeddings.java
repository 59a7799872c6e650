package dev.symbiosis.metrics.semantic;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable {@code n x d} matrix of embedding vectors, one row per text, stored row-major in doubles.
 *
 * <p>Rows are whatever the producer gave: a {@link SentenceEncoder} gives unit-norm rows, vectors read by
 * {@link VectorFiles} are kept as read. {@link #normalised()} gives the L2-normalised copy.
 *
 * <p>Empty matrices ({@code n = 0}) are allowed and keep their dimension; the dimension is at least 1.
 *
 * <p>Immutable and thread-safe: accessors return copies.
 */
public final class Embeddings {

    private final int rows;
    private final int dim;
    private final double[] data;

    private Embeddings(int rows, int dim, double[] data) {
        this.rows = rows;
        this.dim = dim;
        this.data = data;
    }

    /**
     * A matrix from row vectors (copied).
     *
     * @param vectors rows, all of the same length {@code >= 1}; at least one row
     * @throws IllegalArgumentException if there are no rows, rows differ in length, or a value is not finite
     */
    public static Embeddings of(double[][] vectors) {
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no vectors: use Embeddings.empty(dimension) for an empty matrix");
        }
        int d = vectors[0].length;
        checkDimension(d);
        double[] out = new double[Math.multiplyExact(vectors.length, d)];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + vectors[i].length + " values, row 0 has " + d);
            }
            System.arraycopy(vectors[i], 0, out, i * d, d);
        }
        checkFinite(out, d);
        return new Embeddings(vectors.length, d, out);
    }

    /** As {@link #of(double[][])}, from float rows. */
    public static Embeddings of(float[][] vectors) {
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no vectors: use Embeddings.empty(dimension) for an empty matrix");
        }
        int d = vectors[0].length;
        checkDimension(d);
        double[] out = new double[Math.multiplyExact(vectors.length, d)];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + vectors[i].length + " values, row 0 has " + d);
            }
            for (int j = 0; j < d; j++) {
                out[i * d + j] = vectors[i][j];
            }
        }
        checkFinite(out, d);
        return new Embeddings(vectors.length, d, out);
    }

    /** As {@link #of(double[][])}, from a list of rows. */
    public static Embeddings ofRows(List<double[]> vectors) {
        return of(vectors.toArray(new double[0][]));
    }

    /**
     * A matrix over a row-major array (copied).
     *
     * @param rows number of rows {@code >= 0}
     * @param dimension number of columns {@code >= 1}
     * @param rowMajor {@code rows * dimension} finite values
     */
    public static Embeddings ofRowMajor(int rows, int dimension, double[] rowMajor) {
        checkDimension(dimension);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (rowMajor.length != (long) rows * dimension) {
            throw new IllegalArgumentException("expected " + ((long) rows * dimension) + " values for " + rows + " x "
                    + dimension + ", got " + rowMajor.length);
        }
        double[] copy = rowMajor.clone();
        checkFinite(copy, dimension);
        return new Embeddings(rows, dimension, copy);
    }

    /** An empty matrix ({@code 0 x dimension}). */
    public static Embeddings empty(int dimension) {
        checkDimension(dimension);
        return new Embeddings(0, dimension, new double[0]);
    }

    /** Wraps without copying or checking: for this package's producers, which hand over fresh finite arrays. */
    static Embeddings wrap(int rows, int dimension, double[] rowMajor) {
        return new Embeddings(rows, dimension, rowMajor);
    }

    private static void checkDimension(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
    }

    private static void checkFinite(double[] values, int d) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value at row " + (i / d) + ", column " + (i % d)
                        + " is not finite: " + values[i]);
            }
        }
    }

    /** Number of vectors {@code n}. */
    public int size() {
        return rows;
    }

    /** Vector dimension {@code d}. */
    public int dimension() {
        return dim;
    }

    /** Element {@code (i, j)}. */
    public double get(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, dim);
        return data[i * dim + j];
    }

    /** A copy of row {@code i}. */
    public double[] row(int i) {
        Objects.checkIndex(i, rows);
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    /** A copy of all rows. */
    public double[][] toArray() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** The backing row-major array, not copied: callers in this package must not modify it. */
    /** Mean of every column (the rows' centroid). */
    double[] columnMeans() {
        double[] mean = new double[dim];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += data[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= rows;
        }
        return mean;
    }

    /** The rows minus {@code mean}, as a new {@code size x dimension} array. */
    double[][] centredRows(double[] mean) {
        double[][] c = new double[rows][dim];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dim; j++) {
                c[i][j] = data[i * dim + j] - mean[j];
            }
        }
        return c;
    }

    /**
     * The upper triangle (b >= a) of the scatter matrix {@code sum_i rows[i]^T rows[i]} of {@code d}-dimensional
     * rows; the lower triangle is left zero.
     */
    static double[][] upperScatter(double[][] rows, int d) {
        double[][] m = new double[d][d];
        for (double[] row : rows) {
            for (int a = 0; a < d; a++) {
                double ra = row[a];
                if (ra == 0) {
                    continue;
                }
                double[] ma = m[a];
                for (int b = a; b < d; b++) {
                    ma[b] += ra * row[b];
                }
            }
        }
        return m;
    }

    double[] raw() {
        return data;
    }

    /** The rows {@code indices} in that order (copied). */
    public Embeddings select(int[] indices) {
        double[] out = new double[Math.multiplyExact(indices.length, dim)];
        for (int r = 0; r < indices.length; r++) {
            Objects.checkIndex(indices[r], rows);
            System.arraycopy(data, indices[r] * dim, out, r * dim, dim);
        }
        return new Embeddings(indices.length, dim, out);
    }

    /** L2 norm of row {@code i}. */
    public double norm(int i) {
        Objects.checkIndex(i, rows);
        double s = 0;
        for (int j = i * dim, e = j + dim; j < e; j++) {
            s += data[j] * data[j];
        }
        return Math.sqrt(s);
    }

    /**
     * The L2-normalised copy: every row divided by its norm.
     *
     * @throws IllegalArgumentException if a row is zero (its direction, hence its cosine, is undefined)
     */
    public Embeddings normalised() {
        double[] out = data.clone();
        for (int i = 0; i < rows; i++) {
            double n = norm(i);
            if (n == 0) {
                throw new IllegalArgumentException("row " + i + " is the zero vector: cosine similarity is undefined");
            }
            for (int j = i * dim, e = j + dim; j < e; j++) {
                out[j] /= n;
            }
        }
        return new Embeddings(rows, dim, out);
    }

    /** Whether every row has norm within {@code tolerance} of 1. */
    public boolean isUnitNorm(double tolerance) {
        for (int i = 0; i < rows; i++) {
            if (Math.abs(norm(i) - 1) > tolerance) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embeddings e && e.rows == rows && e.dim == dim && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + dim) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Embeddings[" + rows + " x " + dim + "]";
    }
}
