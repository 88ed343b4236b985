package dev.netwarden.lists;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses and networks, kept as sorted, merged, disjoint ranges
 * per family: a lookup is one binary search (O(log ranges)), reads only final arrays and allocates
 * only the address copy {@link InetAddress#getAddress()} makes. IPv4 ranges are longs in 0…2³²−1;
 * IPv6 ranges are pairs of longs compared unsigned.
 */
public final class AddressSet {
    static final AddressSet EMPTY = new Builder().build();

    private final long[] v4Start;
    private final long[] v4End;
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private AddressSet(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi, long[] v6EndLo) {
        this.v4Start = v4Start;
        this.v4End = v4End;
        this.v6StartHi = v6StartHi;
        this.v6StartLo = v6StartLo;
        this.v6EndHi = v6EndHi;
        this.v6EndLo = v6EndLo;
    }

    /** Merged ranges held (IPv4 plus IPv6). */
    public int ranges() {
        return v4Start.length + v6StartHi.length;
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return containsV4(readUnsigned(a, 0, 4));
        }
        return containsV6(readUnsigned(a, 0, 8), readUnsigned(a, 8, 8));
    }

    private boolean containsV4(long a) {
        int lo = 0;
        int hi = v4Start.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v4Start[mid] <= a) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best >= 0 && v4End[best] >= a;
    }

    private boolean containsV6(long aHi, long aLo) {
        int lo = 0;
        int hi = v6StartHi.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], aHi, aLo) <= 0) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best >= 0 && compare(v6EndHi[best], v6EndLo[best], aHi, aLo) >= 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long readUnsigned(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** Collects networks; {@link #build} sorts and merges them. Not thread-safe. */
    static final class Builder {
        private long[] v4 = new long[64]; // start and end interleaved
        private int v4Count;
        private final List<long[]> v6 = new ArrayList<>(); // {startHi, startLo, endHi, endLo}

        void add(IpNetwork network) {
            byte[] a = network.address();
            int prefix = network.prefix();
            if (a.length == 4) {
                long start = readUnsigned(a, 0, 4);
                long end = start | ((1L << (32 - prefix)) - 1);
                if (2 * v4Count + 2 > v4.length) {
                    v4 = Arrays.copyOf(v4, v4.length * 2);
                }
                v4[2 * v4Count] = start;
                v4[2 * v4Count + 1] = end;
                v4Count++;
            } else {
                long hi = readUnsigned(a, 0, 8);
                long lo = readUnsigned(a, 8, 8);
                long hostHi = prefix >= 64 ? 0 : (prefix == 0 ? -1L : -1L >>> prefix);
                long hostLo = prefix >= 128 ? 0 : (prefix <= 64 ? -1L : -1L >>> (prefix - 64));
                v6.add(new long[] {hi, lo, hi | hostHi, lo | hostLo});
            }
        }

        AddressSet build() {
            // IPv4: sort by start (all values are non-negative longs), then merge overlapping or adjacent ranges.
            Integer[] order = new Integer[v4Count];
            for (int i = 0; i < v4Count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> v4[2 * i]));
            long[] starts = new long[v4Count];
            long[] ends = new long[v4Count];
            int n = 0;
            for (int i : order) {
                long s = v4[2 * i];
                long e = v4[2 * i + 1];
                if (n > 0 && s <= ends[n - 1] + 1) {
                    ends[n - 1] = Math.max(ends[n - 1], e);
                } else {
                    starts[n] = s;
                    ends[n] = e;
                    n++;
                }
            }
            v6.sort((x, y) -> compare(x[0], x[1], y[0], y[1]));
            List<long[]> merged = new ArrayList<>();
            for (long[] r : v6) {
                long[] last = merged.isEmpty() ? null : merged.getLast();
                if (last != null && adjacentOrOverlapping(last, r)) {
                    if (compare(r[2], r[3], last[2], last[3]) > 0) {
                        last[2] = r[2];
                        last[3] = r[3];
                    }
                } else {
                    merged.add(r.clone());
                }
            }
            int m = merged.size();
            long[] sHi = new long[m];
            long[] sLo = new long[m];
            long[] eHi = new long[m];
            long[] eLo = new long[m];
            for (int i = 0; i < m; i++) {
                long[] r = merged.get(i);
                sHi[i] = r[0];
                sLo[i] = r[1];
                eHi[i] = r[2];
                eLo[i] = r[3];
            }
            return new AddressSet(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), sHi, sLo, eHi, eLo);
        }

        /** True when {@code next} (starting at or after {@code last}'s start) begins at or right after {@code last}'s end. */
        private static boolean adjacentOrOverlapping(long[] last, long[] next) {
            if (compare(next[0], next[1], last[2], last[3]) <= 0) {
                return true;
            }
            // last end + 1, with carry; an end of all ones cannot be followed.
            long lo = last[3] + 1;
            long hi = lo == 0 ? last[2] + 1 : last[2];
            return next[0] == hi && next[1] == lo && !(last[2] == -1L && last[3] == -1L);
        }
    }
}
