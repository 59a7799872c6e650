package dev.symbiosis.metrics.semantic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The exact convex hull of points in {@code k} dimensions and its volume, by Quickhull (Barber, Dobkin &amp;
 * Huhdanpaa 1996, "The Quickhull algorithm for convex hulls", ACM TOMS 22(4)).
 *
 * <p><b>Algorithm.</b> An initial simplex of {@code k+1} points is grown greedily (each new vertex the point
 * farthest from the affine hull of the previous ones). Every other point is assigned to the outside set of one
 * facet it lies above. Repeatedly, the farthest point of some outside set becomes an apex: the facets it sees are
 * found by walking neighbours, removed, and replaced by a cone of new facets from the horizon ridges to the apex;
 * the removed facets' outside points are re-assigned to the new facets or discarded as interior. Facets are
 * simplices (a square face of a cube becomes two triangles); each stores its {@code k} neighbours, the one
 * opposite each vertex. Expected cost is about {@code O(n log n)} for {@code k <= 3} and
 * {@code O(n f_r / r)} in general (Barber et al.); 10,000 Gaussian points at {@code k = 5} take well under a
 * second.
 *
 * <p><b>Volume.</b> With {@code c} the centroid of the initial simplex (strictly interior), the hull is the union
 * of the simplices {@code (c, facet)}, so
 * <pre>
 *   vol = sum over facets F of |det(v_1 - c, ..., v_k - c)| / k!
 * </pre>
 * with {@code v_1..v_k} the vertices of {@code F}. The result is exact up to floating-point rounding (no Monte Carlo).
 * For {@code k = 1} the volume is the length {@code max - min}.
 *
 * <p><b>Tolerance.</b> A point is above a facet when its signed distance exceeds
 * {@code eps = 1e-10 * max(maxAbs, span)} (coordinates' largest magnitude and bounding-box extent); points within
 * {@code eps} of the hull are treated as on it, so coplanar and duplicate points are harmless. If rounding still
 * breaks the hull's topology (possible for nearly degenerate input), the hull is recomputed once or twice from
 * points moved by at most {@code 1e-9} of the scale in each coordinate (Qhull's "joggle"); the volume changes by
 * a relative amount of the same order.
 *
 * <p><b>Degenerate input.</b> Fewer than {@code k+1} points, or points lying in an affine subspace of dimension
 * below {@code k} (up to {@code eps}): {@link IllegalArgumentException}
 * "need at least k+1 affinely independent points". Non-finite coordinates: {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class ConvexHull {

    private static final double REL_EPS = 1e-10;
    private static final double JOGGLE = 1e-9;

    private final int dim;
    private final int pointCount;
    private final int[][] facets;
    private final int[] vertices;
    private final double volume;

    private ConvexHull(int dim, int pointCount, int[][] facets, int[] vertices, double volume) {
        this.dim = dim;
        this.pointCount = pointCount;
        this.facets = facets;
        this.vertices = vertices;
        this.volume = volume;
    }

    /**
     * The hull of {@code points} ({@code n} rows of {@code k} coordinates, not modified).
     *
     * @throws IllegalArgumentException for fewer than {@code k+1} affinely independent points, ragged rows,
     *     {@code k = 0} or non-finite coordinates
     */
    public static ConvexHull of(double[][] points) {
        Objects.requireNonNull(points, "points");
        if (points.length == 0) {
            throw new IllegalArgumentException("need at least k+1 affinely independent points: got no points");
        }
        int k = points[0].length;
        if (k < 1) {
            throw new IllegalArgumentException("points must have at least one coordinate");
        }
        int n = points.length;
        double[] p = new double[Math.multiplyExact(n, k)];
        for (int i = 0; i < n; i++) {
            if (points[i].length != k) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length
                        + " coordinates, point 0 has " + k);
            }
            for (int j = 0; j < k; j++) {
                double x = points[i][j];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("point " + i + " coordinate " + j + " is not finite: " + x);
                }
                p[i * k + j] = x;
            }
        }
        if (n < k + 1) {
            throw new IllegalArgumentException("need at least k+1 affinely independent points: k = " + k + ", got "
                    + n + " point" + (n == 1 ? "" : "s"));
        }
        if (k == 1) {
            return line(p, n);
        }
        Builder b = new Builder(p, n, k);
        try {
            return b.build();
        } catch (TopologyException first) {
            SplittableRandom rnd = new SplittableRandom(0x5eed);
            for (int attempt = 1; ; attempt++) {
                double[] q = p.clone();
                double amp = JOGGLE * attempt * b.scale;
                for (int i = 0; i < q.length; i++) {
                    q[i] += amp * (2 * rnd.nextDouble() - 1);
                }
                try {
                    return new Builder(q, n, k).build();
                } catch (TopologyException again) {
                    if (attempt == 3) {
                        throw new IllegalStateException("convex hull failed to converge for nearly degenerate input"
                                + " even after joggling: " + again.getMessage(), again);
                    }
                }
            }
        }
    }

    /** Volume of the hull of {@code points}: {@code of(points).volume()}. */
    public static double volume(double[][] points) {
        return of(points).volume();
    }

    private static ConvexHull line(double[] p, int n) {
        int lo = 0;
        int hi = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] < p[lo]) {
                lo = i;
            }
            if (p[i] > p[hi]) {
                hi = i;
            }
            maxAbs = Math.max(maxAbs, Math.abs(p[i]));
        }
        double len = p[hi] - p[lo];
        if (len <= REL_EPS * Math.max(maxAbs, len)) {
            throw new IllegalArgumentException("need at least k+1 affinely independent points: all " + n
                    + " points coincide (k = 1)");
        }
        return new ConvexHull(1, n, new int[][] {{lo}, {hi}}, new int[] {Math.min(lo, hi), Math.max(lo, hi)}, len);
    }

    /** Dimension {@code k}. */
    public int dimension() {
        return dim;
    }

    /** Number of input points. */
    public int pointCount() {
        return pointCount;
    }

    /** The hull's {@code k}-dimensional volume. */
    public double volume() {
        return volume;
    }

    /** Number of (simplicial) facets. */
    public int facetCount() {
        return facets.length;
    }

    /** Each facet's {@code k} vertex indices into the input (copies). */
    public List<int[]> facets() {
        List<int[]> out = new ArrayList<>(facets.length);
        for (int[] f : facets) {
            out.add(f.clone());
        }
        return out;
    }

    /**
     * Indices of the input points that are vertices of the triangulated boundary, ascending: every extreme point,
     * and possibly points lying (within the tolerance) on a flat face that were used to triangulate it before the
     * face was complete (on a lattice, say). The volume is unaffected.
     */
    public int[] vertices() {
        return vertices.clone();
    }

    @Override
    public String toString() {
        return "ConvexHull[k=" + dim + ", points=" + pointCount + ", vertices=" + vertices.length + ", facets="
                + facets.length + ", volume=" + volume + "]";
    }

    /** Rounding broke the hull's topology; retried with joggled input. */
    private static final class TopologyException extends RuntimeException {
        TopologyException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Facet {
        final int[] v;
        final Facet[] nb;
        final double[] normal;
        double offset;
        int[] outside = EMPTY;
        int outsideCount;
        int farthest = -1;
        double farthestDist;
        boolean dead;
        int mark;

        Facet(int[] v, int k) {
            this.v = v;
            this.nb = new Facet[k];
            this.normal = new double[k];
        }

        void addOutside(int point, double dist) {
            if (outsideCount == outside.length) {
                outside = Arrays.copyOf(outside, Math.max(8, outsideCount * 2));
            }
            outside[outsideCount++] = point;
            if (farthest < 0 || dist > farthestDist) {
                farthest = point;
                farthestDist = dist;
            }
        }

        int indexOf(Facet f) {
            for (int j = 0; j < nb.length; j++) {
                if (nb[j] == f) {
                    return j;
                }
            }
            return -1;
        }
    }

    private static final int[] EMPTY = new int[0];

    /** Ridge of a new facet not containing the apex's partner vertex: sorted ids of the other k-2 vertices. */
    private record RidgeKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RidgeKey r && Arrays.equals(ids, r.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    private static final class Builder {
        final double[] p;
        final int n;
        final int k;
        final double[] centre;
        final double scale;
        final double eps;
        final List<Facet> all = new ArrayList<>();
        int markCounter;
        // scratch
        final double[][] basis;
        final double[] w;

        Builder(double[] p, int n, int k) {
            this.p = p;
            this.n = n;
            this.k = k;
            this.centre = new double[k];
            this.basis = new double[k][k];
            this.w = new double[k];
            double maxAbs = 0;
            double span = 0;
            for (int j = 0; j < k; j++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double x = p[i * k + j];
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
                maxAbs = Math.max(maxAbs, Math.max(Math.abs(lo), Math.abs(hi)));
                span = Math.max(span, hi - lo);
            }
            this.scale = Math.max(maxAbs, span);
            this.eps = REL_EPS * scale;
        }

        ConvexHull build() {
            int[] simplex = initialSimplex();
            for (int s : simplex) {
                for (int j = 0; j < k; j++) {
                    centre[j] += p[s * k + j];
                }
            }
            for (int j = 0; j < k; j++) {
                centre[j] /= (k + 1);
            }
            Facet[] initial = new Facet[k + 1];
            for (int f = 0; f <= k; f++) {
                int[] v = new int[k];
                for (int a = 0, c = 0; a <= k; a++) {
                    if (a != f) {
                        v[c++] = simplex[a];
                    }
                }
                initial[f] = newFacet(v);
            }
            for (int f = 0; f <= k; f++) {
                for (int g = 0; g <= k; g++) {
                    if (f != g) {
                        // facet f's neighbour opposite its vertex simplex[g] is facet g
                        int[] v = initial[f].v;
                        for (int j = 0; j < k; j++) {
                            if (v[j] == simplex[g]) {
                                initial[f].nb[j] = initial[g];
                            }
                        }
                    }
                }
            }
            BitSet inSimplex = new BitSet(n);
            for (int s : simplex) {
                inSimplex.set(s);
            }
            for (int i = 0; i < n; i++) {
                if (inSimplex.get(i)) {
                    continue;
                }
                for (Facet f : initial) {
                    double d = distance(f, i);
                    if (d > eps) {
                        f.addOutside(i, d);
                        break;
                    }
                }
            }
            ArrayDeque<Facet> pending = new ArrayDeque<>();
            for (Facet f : initial) {
                if (f.outsideCount > 0) {
                    pending.push(f);
                }
            }
            List<Facet> visible = new ArrayList<>();
            List<Facet> created = new ArrayList<>();
            ArrayDeque<Facet> walk = new ArrayDeque<>();
            Map<RidgeKey, Object[]> open = new HashMap<>();
            while (!pending.isEmpty()) {
                Facet start = pending.pop();
                if (start.dead || start.outsideCount == 0) {
                    continue;
                }
                int apex = start.farthest;
                // visible facets: connected region around start
                int mark = ++markCounter;
                visible.clear();
                walk.clear();
                start.mark = mark;
                walk.push(start);
                while (!walk.isEmpty()) {
                    Facet f = walk.pop();
                    visible.add(f);
                    for (Facet g : f.nb) {
                        if (g.mark != mark && distance(g, apex) > eps) {
                            g.mark = mark;
                            walk.push(g);
                        }
                    }
                }
                // cone from the horizon to the apex
                created.clear();
                open.clear();
                for (Facet f : visible) {
                    f.dead = true;
                }
                for (Facet f : visible) {
                    for (int j = 0; j < k; j++) {
                        Facet h = f.nb[j];
                        if (h.dead) {
                            continue;
                        }
                        int[] v = new int[k];
                        for (int a = 0, c = 0; a < k; a++) {
                            if (a != j) {
                                v[c++] = f.v[a];
                            }
                        }
                        v[k - 1] = apex;
                        Facet nf = newFacet(v);
                        nf.nb[k - 1] = h;
                        int back = h.indexOf(f);
                        if (back < 0) {
                            throw new TopologyException("neighbour link missing");
                        }
                        h.nb[back] = nf;
                        created.add(nf);
                        for (int r = 0; r < k - 1; r++) {
                            int[] key = new int[k - 2];
                            for (int a = 0, c = 0; a < k - 1; a++) {
                                if (a != r) {
                                    key[c++] = v[a];
                                }
                            }
                            Arrays.sort(key);
                            RidgeKey rk = new RidgeKey(key);
                            Object[] other = open.remove(rk);
                            if (other == null) {
                                open.put(rk, new Object[] {nf, r});
                            } else {
                                Facet of = (Facet) other[0];
                                int or = (Integer) other[1];
                                nf.nb[r] = of;
                                of.nb[or] = nf;
                            }
                        }
                    }
                }
                if (!open.isEmpty() || created.isEmpty()) {
                    throw new TopologyException("horizon is not closed (" + open.size() + " unmatched ridges)");
                }
                // re-assign the outside points of the removed facets
                for (Facet f : visible) {
                    for (int a = 0; a < f.outsideCount; a++) {
                        int q = f.outside[a];
                        if (q == apex) {
                            continue;
                        }
                        for (Facet nf : created) {
                            double d = distance(nf, q);
                            if (d > eps) {
                                nf.addOutside(q, d);
                                break;
                            }
                        }
                    }
                    f.outside = EMPTY;
                    f.outsideCount = 0;
                }
                for (Facet nf : created) {
                    if (nf.outsideCount > 0) {
                        pending.push(nf);
                    }
                }
            }
            return finish();
        }

        private ConvexHull finish() {
            List<int[]> facets = new ArrayList<>();
            BitSet verts = new BitSet(n);
            double sum = 0;
            double[][] m = new double[k][k];
            for (Facet f : all) {
                if (f.dead) {
                    continue;
                }
                if (f.outsideCount != 0) {
                    throw new TopologyException("facet left with outside points");
                }
                facets.add(f.v.clone());
                for (int a = 0; a < k; a++) {
                    verts.set(f.v[a]);
                    for (int j = 0; j < k; j++) {
                        m[a][j] = p[f.v[a] * k + j] - centre[j];
                    }
                }
                sum += Math.abs(determinant(m, k));
            }
            double factorial = 1;
            for (int i = 2; i <= k; i++) {
                factorial *= i;
            }
            return new ConvexHull(k, n, facets.toArray(new int[0][]), verts.stream().toArray(), sum / factorial);
        }

        /** Signed distance of point i above facet f (positive outside). */
        private double distance(Facet f, int i) {
            double s = -f.offset;
            int o = i * k;
            for (int j = 0; j < k; j++) {
                s += f.normal[j] * p[o + j];
            }
            return s;
        }

        /** A facet through v with its outward unit normal (away from the interior centre). */
        private Facet newFacet(int[] v) {
            Facet f = new Facet(v, k);
            int o0 = v[0] * k;
            int rank = 0;
            for (int a = 1; a < k; a++) {
                int oa = v[a] * k;
                for (int j = 0; j < k; j++) {
                    w[j] = p[oa + j] - p[o0 + j];
                }
                if (orthogonalise(w, rank)) {
                    System.arraycopy(w, 0, basis[rank++], 0, k);
                }
            }
            if (rank != k - 1) {
                throw new TopologyException("degenerate facet");
            }
            for (int j = 0; j < k; j++) {
                w[j] = p[o0 + j] - centre[j];
            }
            if (!orthogonalise(w, rank)) {
                throw new TopologyException("facet passes through the interior point");
            }
            double off = 0;
            for (int j = 0; j < k; j++) {
                f.normal[j] = w[j];
                off += w[j] * p[o0 + j];
            }
            f.offset = off;
            all.add(f);
            return f;
        }

        /**
         * Removes from x its components along basis[0..rank) (modified Gram-Schmidt, twice) and normalises it.
         *
         * @return false if nothing independent is left
         */
        private boolean orthogonalise(double[] x, int rank) {
            double before = norm(x);
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < rank; b++) {
                    double[] e = basis[b];
                    double d = 0;
                    for (int j = 0; j < k; j++) {
                        d += e[j] * x[j];
                    }
                    for (int j = 0; j < k; j++) {
                        x[j] -= d * e[j];
                    }
                }
            }
            double after = norm(x);
            if (after <= eps || after <= 1e-12 * before) {
                return false;
            }
            for (int j = 0; j < k; j++) {
                x[j] /= after;
            }
            return true;
        }

        private double norm(double[] x) {
            double s = 0;
            for (double v : x) {
                s += v * v;
            }
            return Math.sqrt(s);
        }

        /** k+1 affinely independent points, each farthest from the affine hull of the previous ones. */
        private int[] initialSimplex() {
            int[] s = new int[k + 1];
            int first = 0;
            for (int i = 1; i < n; i++) {
                if (p[i * k] < p[first * k]) {
                    first = i;
                }
            }
            s[0] = first;
            double[] x = new double[k];
            for (int m = 1; m <= k; m++) {
                int best = -1;
                double bestDist = -1;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < k; j++) {
                        x[j] = p[i * k + j] - p[first * k + j];
                    }
                    for (int b = 0; b < m - 1; b++) {
                        double[] e = basis[b];
                        double d = 0;
                        for (int j = 0; j < k; j++) {
                            d += e[j] * x[j];
                        }
                        for (int j = 0; j < k; j++) {
                            x[j] -= d * e[j];
                        }
                    }
                    double dist = norm(x);
                    if (dist > bestDist) {
                        bestDist = dist;
                        best = i;
                    }
                }
                if (bestDist <= eps * 10) {
                    throw new IllegalArgumentException("need at least k+1 affinely independent points: the " + n
                            + " points span only " + (m - 1) + " dimension" + (m == 2 ? "" : "s") + " (k = " + k
                            + ")");
                }
                s[m] = best;
                for (int j = 0; j < k; j++) {
                    w[j] = p[best * k + j] - p[first * k + j];
                }
                if (!orthogonalise(w, m - 1)) {
                    throw new IllegalArgumentException("need at least k+1 affinely independent points: the " + n
                            + " points span only " + (m - 1) + " dimensions (k = " + k + ")");
                }
                System.arraycopy(w, 0, basis[m - 1], 0, k);
            }
            return s;
        }
    }

    /** Determinant by Gaussian elimination with partial pivoting; destroys m. */
    static double determinant(double[][] m, int k) {
        double det = 1;
        for (int c = 0; c < k; c++) {
            int piv = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            if (m[piv][c] == 0) {
                return 0;
            }
            if (piv != c) {
                double[] t = m[piv];
                m[piv] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < k; r++) {
                double f = m[r][c] / m[c][c];
                if (f != 0) {
                    for (int j = c; j < k; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        return det;
    }
}
